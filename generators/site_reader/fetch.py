"""Fetching a site's pages politely and safely: through the SSRF guard, within byte, time and
redirect caps, only HTML, and only where robots.txt allows."""

import codecs
import json
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from core import outbound
from generators.technologies import detect_technologies
from generators.types import Technology

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Google's limit; anything past it is ignored by crawlers too.
ROBOTS_MAX_BYTES = 500 * 1024
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "iframe")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class PageSkipped(Exception):
    """A page that was not read, for a reason worth telling (robots.txt, not HTML, HTTP error)."""

    def __init__(self, reason: str, *, status: int | None = None, robots: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.robots = robots


@dataclass
class Page:
    """One page read, parsed once. `tree` has scripts and styles removed; what they carried
    (JSON-LD, technologies) was taken out first."""

    url: str
    kind: str
    status: int
    bytes: int
    truncated: bool
    tree: LexborHTMLParser
    title: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[dict] = field(default_factory=list)
    technologies: list[Technology] = field(default_factory=list)


class SiteFetcher:
    """One run's fetching: one guarded client and one robots.txt per origin."""

    def __init__(self, *, timeout: httpx.Timeout | float, max_page_bytes: int, max_redirects: int):
        self.max_page_bytes = max_page_bytes
        self.max_redirects = max_redirects
        self.http = outbound.client(timeout=timeout, headers={"Accept": "text/html,application/xhtml+xml"})
        self._robots: dict[str, Protego | None] = {}

    def __enter__(self) -> "SiteFetcher":
        return self

    def __exit__(self, *exc_info) -> None:
        self.http.close()

    def fetch_page(self, url: str, *, kind: str) -> Page:
        """Read one page. Raises PageSkipped, outbound.OutboundRefused or httpx.HTTPError."""
        self._require_allowed(url)
        fetched = outbound.get_following_redirects(
            self.http, url, max_redirects=self.max_redirects, max_bytes=self.max_page_bytes, accept=HTML_TYPES,
        )
        if fetched.url != url:
            self._require_allowed(fetched.url)
        status = fetched.response.status_code
        if status >= 400:
            raise PageSkipped(f"{fetched.url} answered HTTP {status}", status=status)
        media_type = outbound.content_type(fetched.response)
        if media_type not in HTML_TYPES:
            raise PageSkipped(f"{fetched.url} is {media_type or 'of no declared type'}, not HTML", status=status)
        html = decode_html(fetched.body, fetched.response.headers.get("content-type", ""))
        return parse_page(url=fetched.url, kind=kind, status=status, html=html,
                          size=len(fetched.body), truncated=fetched.truncated)

    def allowed(self, url: str) -> bool:
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(url, outbound.ROBOTS_USER_AGENT)

    def _require_allowed(self, url: str) -> None:
        if not self.allowed(url):
            raise PageSkipped(f"robots.txt disallows {url}", robots=True)

    def _robots_for(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        return self._robots[origin]

    def _load_robots(self, origin: str) -> Protego | None:
        """RFC 9309: a missing robots.txt (4xx) allows everything; a server error means
        everything is disallowed until it answers. Connection errors and refusals propagate:
        the page itself would fail the same way, and that is the clearer message."""
        fetched = outbound.get_following_redirects(
            self.http, f"{origin}/robots.txt", max_redirects=self.max_redirects, max_bytes=ROBOTS_MAX_BYTES,
        )
        status = fetched.response.status_code
        if status >= 500:
            logger.info("robots.txt of %s answered HTTP %s: treating the site as disallowed", origin, status)
            return Protego.parse("User-agent: *\nDisallow: /\n")
        if status >= 400:
            return None
        return Protego.parse(fetched.body.decode("utf-8", errors="replace"))


def decode_html(body: bytes, content_type_header: str) -> str:
    """Decode with the byte-order mark, the declared charset, the <meta> charset, then UTF-8,
    falling back to windows-1252 as browsers do."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    declared = _charset_from_header(content_type_header) or _charset_from_meta(body[:4096])
    if declared:
        return body.decode(declared, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - 3:  # a character cut in half by the byte cap
            return body[: exc.start].decode("utf-8")
        return body.decode("cp1252", errors="replace")


def _usable_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _charset_from_header(content_type_header: str) -> str | None:
    match = re.search(r"charset\s*=\s*([^;\s]+)", content_type_header, re.IGNORECASE)
    return _usable_codec(match.group(1)) if match else None


def _charset_from_meta(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return _usable_codec(match.group(1).decode("ascii", errors="ignore")) if match else None


def parse_page(*, url: str, kind: str, status: int, html: str, size: int, truncated: bool) -> Page:
    tree = LexborHTMLParser(html)
    technologies = detect_technologies(url=url, html=html, tree=tree)
    jsonld = _jsonld(tree)
    meta = _meta(tree)
    title_node = tree.css_first("title")
    title = _clean(title_node.text()) if title_node else ""
    tree.strip_tags(list(_NOT_TEXT))
    body = tree.body
    text = _clean(body.text(separator=" ")) if body else ""
    return Page(url=url, kind=kind, status=status, bytes=size, truncated=truncated, tree=tree,
                title=title, text=text, meta=meta, jsonld=jsonld, technologies=technologies)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    """<meta name=...>/<meta property=...> contents by lower-cased key, first one wins."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").strip().lower()
        content = _clean(node.attributes.get("content"))
        if key and content and key not in found:
            found[key] = content
    return found


def _jsonld(tree: LexborHTMLParser) -> list[dict]:
    """Every JSON-LD object on the page, @graph members and lists flattened."""
    items: list[dict] = []
    for node in tree.css('script[type="application/ld+json" i]'):
        try:
            data = json.loads(node.text() or "", strict=False)
        except ValueError:
            continue
        items.extend(_flatten(data))
    return items


def _flatten(data: object) -> list[dict]:
    if isinstance(data, list):
        return [item for element in data for item in _flatten(element)]
    if not isinstance(data, dict):
        return []
    if "@graph" in data:
        return _flatten(data["@graph"])
    return [data]
