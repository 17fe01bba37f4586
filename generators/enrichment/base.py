"""The provider contract: `enrich(domain) -> ProviderResult`, never raising.

Every provider is asked through core.outbound, with its operator-configured base URL trusted
by the guard (it is configuration, not user input) and no redirects followed. Keys go in
headers only, never in URLs, messages or logs.
"""

import json
import logging
from dataclasses import asdict, dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

import httpx

from core import outbound

logger = logging.getLogger(__name__)

Status = Literal["ok", "not_found", "error", "not_configured"]
TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=5.0, pool=5.0)
MAX_RESPONSE_BYTES = 1_000_000


@dataclass(frozen=True)
class ProviderResult:
    source: str  # "apollo" | "clearbit"
    status: Status
    data: dict | None = None
    error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Provider(Protocol):
    source: str

    def enrich(self, domain: str) -> ProviderResult:
        """What the provider knows about `domain`; errors become a result, never an exception."""
        ...


class ProviderError(Exception):
    """A short, key-free message for ProviderResult.error."""


_STATUS_MESSAGES = {
    401: "the API key was rejected (HTTP 401)",
    403: "the API key is not allowed to use this endpoint (HTTP 403)",
    422: "the provider rejected the domain (HTTP 422)",
    429: "rate limited by the provider (HTTP 429)",
}


def get_json(*, base_url: str, path: str, params: dict, headers: dict, timeout: httpx.Timeout) -> tuple[int, object]:
    """GET base_url + path; return (status, parsed JSON or None). Raises ProviderError."""
    url = base_url.rstrip("/") + path
    host = (urlsplit(base_url).hostname or "").lower()
    try:
        with outbound.client(timeout=timeout, headers={"Accept": "application/json", **headers},
                             allow_hosts=[host]) as http:
            fetched = outbound.get_following_redirects(
                http, str(httpx.URL(url, params=params)), max_redirects=0, max_bytes=MAX_RESPONSE_BYTES,
            )
    except httpx.TimeoutException as exc:
        raise ProviderError("the provider did not answer in time") from exc
    except httpx.TooManyRedirects as exc:
        raise ProviderError("the provider answered with a redirect") from exc
    except httpx.HTTPError as exc:
        raise ProviderError(f"could not reach the provider ({type(exc).__name__})") from exc
    except outbound.OutboundRefused as exc:
        raise ProviderError(f"the provider URL was refused: {exc}") from exc
    return fetched.response.status_code, _parse(fetched.body)


def _parse(body: bytes) -> object:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def error_for_status(status: int) -> ProviderError:
    if status in _STATUS_MESSAGES:
        return ProviderError(_STATUS_MESSAGES[status])
    if status >= 500:
        return ProviderError(f"the provider failed (HTTP {status})")
    return ProviderError(f"unexpected answer from the provider (HTTP {status})")


def failed(source: str, exc: ProviderError) -> ProviderResult:
    logger.warning("enrichment via %s failed: %s", source, exc)
    return ProviderResult(source=source, status="error", error=str(exc))


def compact(data: dict) -> dict:
    """Drop empty values: a field the provider left blank is unknown, not zero."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
