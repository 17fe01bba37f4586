"""The site reader: a website's homepage and a handful of same-site pages in, SiteFacts out.

    read_site("acme.example") -> SiteFacts

Fetching goes through core.outbound (SSRF guard, pinned connections) with timeouts, a byte
cap per page, a redirect cap and robots.txt respected (fetch.py); each field has its own
small extractor (extract.py). A site that cannot be read, or that says too little to write
from honestly, raises InsufficientInformation naming what was missing.
"""

import logging
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from url_normalize import url_normalize

from core import outbound
from generators.site_reader.extract import extract_facts
from generators.site_reader.fetch import Page, PageSkipped, SiteFetcher
from generators.types import FetchRefused, InsufficientInformation, SiteFacts

__all__ = ["normalize_site_url", "read_site", "site_domain"]

logger = logging.getLogger(__name__)

MAX_PAGES = 6  # the homepage and five pages picked from its links
MAX_PAGE_BYTES = 1_500_000
MAX_REDIRECTS = 5
MIN_TEXT_CHARS = 200
TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=5.0, pool=5.0)

# Which linked pages are worth reading, in the order they are picked; matched against the
# link's path and its text.
PAGE_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("about", re.compile(r"\b(about|company|who-we-are|our-story)\b", re.IGNORECASE)),
    ("pricing", re.compile(r"\b(pricing|plans|prices)\b", re.IGNORECASE)),
    ("product", re.compile(r"\b(product|features|platform|how-it-works|tour|solutions?)\b", re.IGNORECASE)),
    ("customers", re.compile(r"\b(customers|case-stud(y|ies)|success-stories|stories|clients)\b", re.IGNORECASE)),
    ("integrations", re.compile(r"\b(integrations?|marketplace|connectors|apps)\b", re.IGNORECASE)),
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)
_NOT_PAGES = re.compile(r"\.(pdf|png|jpe?g|gif|svg|webp|zip|gz|mp4|mov|mp3|docx?|xlsx?|pptx?|css|js|json|xml)$", re.IGNORECASE)


def normalize_site_url(url: str) -> str:
    """`Acme.example/#top` → `https://acme.example/`: https unless a scheme is given, host
    lower-cased and IDNA-encoded, default port and fragment dropped."""
    raw = (url or "").strip()
    if not raw:
        raise InsufficientInformation("No website was given.", missing=["a website"])
    # A scheme is what precedes the first colon, unless a port number follows it
    # ("example.com:8080" has none; "javascript:alert(1)" and "mailto:x" do).
    explicit = _SCHEME.match(raw)
    scheme = explicit.group(1).lower() if explicit else ""
    if scheme and scheme not in ("http", "https"):
        raise FetchRefused(f"Only http and https websites can be read, not {scheme}.", missing=["a public website"])
    try:
        normalized = url_normalize(raw, default_scheme="https")
    except (ValueError, UnicodeError) as exc:
        raise InsufficientInformation(f"{raw} is not a website address.", missing=["a website"]) from exc
    parts = urlsplit(normalized)
    if not parts.hostname:
        raise InsufficientInformation(f"{raw} is not a website address.", missing=["a website"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def site_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def read_site(
    url: str, *, timeout: httpx.Timeout | float = TIMEOUT, max_page_bytes: int = MAX_PAGE_BYTES,
    max_pages: int = MAX_PAGES, max_redirects: int = MAX_REDIRECTS,
) -> SiteFacts:
    """Read `url`'s homepage and up to `max_pages - 1` linked pages; extract the facts.

    Raises FetchRefused when the guard refuses the address, InsufficientInformation when the
    homepage cannot be read or the pages hold less than MIN_TEXT_CHARS of readable text."""
    home_url = normalize_site_url(url)
    with SiteFetcher(timeout=timeout, max_page_bytes=max_page_bytes, max_redirects=max_redirects) as fetcher:
        home = _read_homepage(fetcher, home_url)
        pages = [home, *_read_linked_pages(fetcher, home, limit=max_pages - 1)]
    facts = extract_facts(url=home.url, domain=site_domain(home.url), pages=pages)
    if facts.text_chars < MIN_TEXT_CHARS:
        raise InsufficientInformation(
            f"{home.url} has only {facts.text_chars} characters of readable text; "
            f"at least {MIN_TEXT_CHARS} are needed to write from it.",
            missing=["readable text"],
        )
    return facts


def _read_homepage(fetcher: SiteFetcher, url: str) -> Page:
    try:
        return fetcher.fetch_page(url, kind="home")
    except outbound.OutboundRefused as exc:
        raise FetchRefused(f"{url} cannot be read: {exc}.", missing=["a public website"]) from exc
    except httpx.TimeoutException as exc:
        raise InsufficientInformation(f"{url} did not answer in time.", missing=["a reachable website"]) from exc
    except httpx.TooManyRedirects as exc:
        raise InsufficientInformation(f"{url} redirects too many times.", missing=["a reachable website"]) from exc
    except httpx.HTTPError as exc:
        raise InsufficientInformation(f"{url} could not be reached ({type(exc).__name__}).",
                                      missing=["a reachable website"]) from exc
    except PageSkipped as exc:
        raise _homepage_skipped(url, exc) from exc


def _homepage_skipped(url: str, skipped: PageSkipped) -> InsufficientInformation:
    if skipped.robots:
        return InsufficientInformation(f"{skipped.reason}; the site asks not to be read.",
                                       missing=["permission to read the homepage (robots.txt)"])
    if skipped.status is not None and skipped.status >= 400:
        return InsufficientInformation(f"{skipped.reason}.", missing=["a reachable website"])
    return InsufficientInformation(f"{skipped.reason}.", missing=["readable text"])


def _read_linked_pages(fetcher: SiteFetcher, home: Page, *, limit: int) -> list[Page]:
    """The linked pages worth reading. A page that fails is logged and left out: the
    homepage alone can be enough."""
    pages = []
    def allowed(url: str) -> bool:
        try:
            return fetcher.allowed(url)
        except (outbound.OutboundRefused, httpx.HTTPError):
            return False

    for kind, url in pick_pages(home, limit=limit, allowed=allowed):
        try:
            pages.append(fetcher.fetch_page(url, kind=kind))
        except (PageSkipped, outbound.OutboundRefused, httpx.HTTPError) as exc:
            logger.info("site reader skipped %s: %s", url, exc)
    return pages


def pick_pages(home: Page, *, limit: int, allowed: Callable[[str], bool] = lambda url: True) -> list[tuple[str, str]]:
    """(kind, url) of the same-site pages linked from the homepage, one per kind, the
    shortest matching path first (`/pricing` over `/blog/pricing-changes`). Pages robots.txt
    disallows are passed over here, so they do not take a slot."""
    candidates: dict[str, list[tuple[int, str]]] = {kind: [] for kind, _ in PAGE_KINDS}
    for url, text in _same_site_links(home):
        path = urlsplit(url).path
        for kind, pattern in PAGE_KINDS:
            if pattern.search(path.replace("/", " ")) or pattern.search(text):
                candidates[kind].append((path.count("/") * 100 + len(path), url))
                break
    chosen: list[tuple[str, str]] = []
    taken: set[str] = set()
    for kind, _ in PAGE_KINDS:
        for _rank, url in sorted(candidates[kind]):
            if url not in taken and allowed(url):
                chosen.append((kind, url))
                taken.add(url)
                break
    return chosen[:limit]


def _same_site_links(home: Page) -> list[tuple[str, str]]:
    home_site = site_domain(home.url)
    links: dict[str, str] = {}
    for node in home.tree.css("a[href]"):
        url = urljoin(home.url, (node.attributes.get("href") or "").strip())
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or site_domain(url) != home_site:
            continue
        url = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
        if url.rstrip("/") == home.url.rstrip("/") or _NOT_PAGES.search(parts.path):
            continue
        links.setdefault(url, " ".join((node.text() or "").split()))
    return list(links.items())
