"""Live enrichment of a target domain through configured providers (Apollo, Clearbit).

    enrich_domain("acme.example") -> [ProviderResult(source="apollo", ...), ...]

One result per known provider, in a fixed order: unknown domains, provider errors and
missing keys are reported per source and never raise.
"""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from generators.enrichment.apollo import ApolloProvider
from generators.enrichment.base import Provider, ProviderResult
from generators.enrichment.clearbit import ClearbitProvider

__all__ = ["ApolloProvider", "ClearbitProvider", "Provider", "ProviderResult", "enrich_domain",
           "enrichment_domain", "providers"]


def providers() -> list[Provider]:
    return [ApolloProvider(), ClearbitProvider()]


def enrichment_domain(value: str) -> str:
    """`https://www.Acme.example/pricing` → `acme.example`: what providers key companies by."""
    raw = value.strip()
    host = urlsplit(raw if "://" in raw else f"//{raw}").hostname or ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def enrich_domain(domain: str, *, using: list[Provider] | None = None) -> list[ProviderResult]:
    """Ask every provider about `domain` at once; the slowest one bounds the wait."""
    chosen = using if using is not None else providers()
    target = enrichment_domain(domain)
    configured = [p for p in chosen if _configured(p)]
    with ThreadPoolExecutor(max_workers=max(1, len(configured)), thread_name_prefix="enrichment") as pool:
        futures = {id(p): pool.submit(p.enrich, target) for p in configured}
        return [futures[id(p)].result() if id(p) in futures else p.enrich(target) for p in chosen]


def _configured(provider: Provider) -> bool:
    return bool(getattr(provider, "api_key", True))
