"""From parsed pages to SiteFacts: one small extractor per field, each fact with its evidence.

Extractors only report what a page shows. A field with nothing found stays empty; nothing is
guessed from the domain or filled in from general knowledge.
"""

import json
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from generators.site_reader.fetch import Page
from generators.types import Evidence, Fact, PageRead, PricingTier, SiteFacts, Technology

SNIPPET_CHARS = 300
MAX_ITEMS = 12
ORGANIZATION_TYPES = {"Organization", "Corporation", "OnlineBusiness", "LocalBusiness", "NGO",
                      "EducationalOrganization", "GovernmentOrganization", "Brand"}
SOCIAL_HOSTS = {"linkedin.com", "twitter.com", "x.com", "facebook.com", "instagram.com", "youtube.com",
                "github.com", "tiktok.com", "medium.com", "threads.net", "bsky.app", "mastodon.social"}

_CUSTOMERS = re.compile(r"customer|client|trusted|logo-?(?:wall|grid|strip|cloud|bar)|used by|loved by|"
                        r"companies (?:like|that|who)|teams at|case.?stud", re.IGNORECASE)
_INTEGRATIONS = re.compile(r"integrat|connects? (?:with|to)|works with|apps|connectors|marketplace", re.IGNORECASE)
_INDUSTRIES = re.compile(r"industr|who we serve|built for|sectors|verticals|solutions for", re.IGNORECASE)
_TESTIMONIAL = re.compile(r"testimonial|quote|review", re.IGNORECASE)
_PRICING = re.compile(r"pric|plan|tier|package", re.IGNORECASE)
_FEATURES = re.compile(r"feature|capabilit|benefit|how it works|platform|product", re.IGNORECASE)
# Headings that organise a page rather than state a value.
_BOILERPLATE_HEADING = re.compile(
    r"^(pricing|plans|faq|frequently asked|testimonials?|customers|contact|integrations?|"
    r"newsletter|blog|resources|company|product|get started|sign up|ready to|subscribe|"
    r"trusted by|what (our )?customers say|loved by|industries|who we serve|features|built for|"
    r"works with|integrates with)\b",
    re.IGNORECASE,
)
_PRICE = re.compile(
    r"(?:[$€£¥]\s?\d[\d,.]*\s?[kKmM]?(?:\s*(?:/|per)\s*(?:user|seat|month|mo|year|yr|annum)"
    r"(?:\s*(?:/|per)\s*(?:month|mo|year|yr))?)?|\d[\d,.]*\s?(?:USD|EUR|GBP)\b(?:\s*/\s*\w+)?|"
    r"\bfree(?: forever)?\b|\bcontact (?:sales|us)\b|\bcustom(?: pricing)?\b|\blet'?s talk\b)",
    re.IGNORECASE,
)
_CHROME = {"header", "nav", "footer"}


# --- small helpers ----------------------------------------------------------------------


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def snippet(text: str) -> str:
    text = clean(text)
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def evidence(page: Page, text: str) -> tuple[Evidence, ...]:
    return (Evidence(url=page.url, snippet=snippet(text)),)


def fact(page: Page, value: str, context: str | None = None) -> Fact:
    return Fact(value=clean(value), evidence=evidence(page, context or value))


def node_text(node: LexborNode | None) -> str:
    return clean(node.text(separator=" ")) if node is not None else ""


def dedupe(facts: Iterable[Fact], limit: int = MAX_ITEMS) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for item in facts:
        key = item.value.casefold()
        if item.value and key not in seen:
            seen[key] = item
    return list(seen.values())[:limit]


def ancestors(node: LexborNode, depth: int = 8) -> Iterable[LexborNode]:
    current = node.parent
    while current is not None and depth > 0 and current.tag not in ("body", "html", "-undef"):
        yield current
        current = current.parent
        depth -= 1


def in_chrome(node: LexborNode) -> bool:
    """Inside the site's header, navigation or footer: the same on every page, not content."""
    return any(parent.tag in _CHROME for parent in ancestors(node, depth=20))


def _attributes_of(node: LexborNode) -> str:
    return f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"


def section_label(node: LexborNode) -> str:
    """What the block around `node` says it is: class/id names of its ancestors and the text
    of the nearest heading that introduces it."""
    labels = []
    for parent in ancestors(node, depth=6):
        labels.append(_attributes_of(parent))
        heading = parent.css_first("h1, h2, h3")
        if heading is not None and heading != node:
            labels.append(node_text(heading))
            break
    return " ".join(labels)


def first_following(node: LexborNode, tags: tuple[str, ...]) -> LexborNode | None:
    sibling = node.next
    while sibling is not None:
        if sibling.tag in tags:
            return sibling
        if sibling.tag in ("h1", "h2", "h3", "h4"):
            return None
        sibling = sibling.next
    return None


def pages_of(pages: list[Page], *kinds: str) -> list[Page]:
    return [page for page in pages if page.kind in kinds]


# --- JSON-LD ----------------------------------------------------------------------------


def _types(item: dict) -> set[str]:
    kind = item.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def organization(pages: list[Page]) -> tuple[Page, dict] | tuple[None, dict]:
    for page in pages:
        for item in page.jsonld:
            if _types(item) & ORGANIZATION_TYPES:
                return page, item
    return None, {}


def _jsonld_evidence(page: Page, key: str, value: object) -> tuple[Evidence, ...]:
    return evidence(page, json.dumps({key: value}, ensure_ascii=False))


def _org_string(org: dict, key: str) -> str:
    value = org.get(key)
    return clean(value) if isinstance(value, str) else ""


# --- name, tagline, description ---------------------------------------------------------


def extract_name(pages: list[Page], domain: str) -> Fact | None:
    org_page, org = organization(pages)
    home = pages[0]
    if org_page and _org_string(org, "name"):
        return Fact(_org_string(org, "name"), _jsonld_evidence(org_page, "name", org["name"]))
    for key in ("og:site_name", "application-name"):
        if home.meta.get(key):
            return fact(home, home.meta[key], f'<meta property="{key}" content="{home.meta[key]}">')
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0].lower())
    for segment in _title_segments(home.title):
        if label and label in re.sub(r"[^a-z0-9]", "", segment.lower()) and len(segment) <= 40:
            return fact(home, segment, f"<title>{home.title}</title>")
    return None


def _title_segments(title: str) -> list[str]:
    return [clean(part) for part in re.split(r"\s[|\-–—·:]\s", title) if clean(part)]


def extract_tagline(pages: list[Page], name: Fact | None) -> Fact | None:
    home = pages[0]
    h1 = home.tree.css_first("h1")
    if h1 is not None and 3 <= len(node_text(h1)) <= 200:
        return fact(home, node_text(h1), node_text(h1))
    name_value = name.value.casefold() if name else ""
    title = home.meta.get("og:title", "")
    if title and title.casefold() != name_value:
        return fact(home, title, f'<meta property="og:title" content="{title}">')
    others = [s for s in _title_segments(home.title) if s.casefold() != name_value]
    return fact(home, others[0], f"<title>{home.title}</title>") if others and name else None


def extract_description(pages: list[Page]) -> Fact | None:
    home = pages[0]
    for key in ("description", "og:description", "twitter:description"):
        if home.meta.get(key):
            return fact(home, home.meta[key], home.meta[key])
    org_page, org = organization(pages)
    if org_page and _org_string(org, "description"):
        return Fact(_org_string(org, "description"), _jsonld_evidence(org_page, "description", org["description"]))
    return None


# --- value propositions and features ----------------------------------------------------


def _heading_with_body(page: Page, heading: LexborNode) -> Fact:
    body = first_following(heading, ("p", "div", "ul"))
    context = f"{node_text(heading)} — {node_text(body)}" if body is not None else node_text(heading)
    return fact(page, node_text(heading), context)


def extract_value_propositions(pages: list[Page]) -> list[Fact]:
    home = pages[0]
    found = []
    h1 = home.tree.css_first("h1")
    subhead = first_following(h1, ("p",)) if h1 is not None else None
    if subhead is not None and len(node_text(subhead)) >= 20:
        found.append(fact(home, node_text(subhead), f"{node_text(h1)} — {node_text(subhead)}"))
    for heading in home.tree.css("h2"):
        text = node_text(heading)
        if in_chrome(heading) or not 8 <= len(text) <= 160 or _BOILERPLATE_HEADING.search(text):
            continue
        label = section_label(heading)
        if any(p.search(label) for p in (_CUSTOMERS, _INTEGRATIONS, _INDUSTRIES, _TESTIMONIAL)):
            continue
        found.append(_heading_with_body(home, heading))
    return dedupe(found, limit=8)


def _is_feature_heading(node: LexborNode) -> bool:
    if in_chrome(node) or not 3 <= len(node_text(node)) <= 120:
        return False
    label = section_label(node)
    if _PRICING.search(label) or _TESTIMONIAL.search(label) or _CUSTOMERS.search(label):
        return False
    return not _INTEGRATIONS.search(label)


def extract_features(pages: list[Page]) -> list[Fact]:
    found = []
    for page in [pages[0], *pages_of(pages, "product")]:
        for heading in page.tree.css("h3"):
            if not _is_feature_heading(heading):
                continue
            if page.kind == "product" or _FEATURES.search(section_label(heading)):
                found.append(_heading_with_body(page, heading))
    return dedupe(found, limit=15)


# --- pricing ----------------------------------------------------------------------------


def _pricing_cards(page: Page) -> list[LexborNode]:
    """Innermost blocks holding one heading and one price: a tier each."""
    cards = []
    for heading in page.tree.css("h2, h3, h4"):
        if in_chrome(heading):
            continue
        for parent in ancestors(heading, depth=4):
            if len(parent.css("h2, h3, h4")) > 1:
                break
            if _PRICE.search(node_text(parent)) and parent not in cards:
                cards.append(parent)
                break
    return cards


def _price_in(card: LexborNode) -> str:
    marked = card.css_first('[class*="price" i], [class*="amount" i], [class*="cost" i]')
    if marked is not None and _PRICE.search(node_text(marked)):
        return node_text(marked)
    match = _PRICE.search(node_text(card))
    return clean(match.group(0)) if match else ""


def extract_pricing_tiers(pages: list[Page]) -> list[PricingTier]:
    pricing = pages_of(pages, "pricing") or [pages[0]]
    tiers: dict[str, PricingTier] = {}
    for page in pricing:
        for card in _pricing_cards(page):
            heading = card.css_first("h2, h3, h4")
            name, price = node_text(heading), _price_in(card)
            if not name or not price or name.casefold() in tiers or len(name) > 60:
                continue
            features = tuple(dict.fromkeys(node_text(li) for li in card.css("li") if node_text(li)))[:15]
            tiers[name.casefold()] = PricingTier(name=name, price=price, features=features,
                                                 evidence=evidence(page, node_text(card)))
    return list(tiers.values())[:8]


# --- customers, testimonials, industries, integrations ----------------------------------


def _logo_name(alt: str, own_name: str) -> str:
    name = clean(re.sub(r"\b(logo|logotype|icon)\b", "", alt, flags=re.IGNORECASE)).strip(" -–—|")
    return "" if not name or name.casefold() == own_name.casefold() else name


def extract_customers(pages: list[Page], own_name: str) -> list[Fact]:
    found = []
    for page in [pages[0], *pages_of(pages, "customers", "about")]:
        for img in page.tree.css("img[alt]"):
            if in_chrome(img):
                continue
            label = section_label(img)
            if not _CUSTOMERS.search(label) or _INTEGRATIONS.search(label):
                continue
            name = _logo_name(img.attributes.get("alt") or "", own_name)
            if name:
                found.append(fact(page, name, f"{clean(label)[-120:]}: <img alt=\"{img.attributes.get('alt')}\">"))
    return dedupe(found, limit=30)


def _attribution(quote: LexborNode) -> str:
    holders = [quote, *(p for p in ancestors(quote, depth=2) if p.tag in ("figure", "div", "li", "article"))]
    for holder in holders:
        cite = holder.css_first("figcaption, cite, footer, [class*=author i], [class*=attribution i]")
        if cite is not None and node_text(cite):
            return node_text(cite).lstrip("—–- ")
    return ""


def _quote_text(quote: LexborNode) -> str:
    paragraphs = [node_text(p) for p in quote.css("p") if not p.css_first("cite")]
    text = " ".join(paragraphs) if paragraphs else node_text(quote)
    return text.strip("“”\"' ")


def extract_testimonials(pages: list[Page]) -> list[Fact]:
    found = []
    for page in pages:
        for quote in page.tree.css("blockquote"):
            text, who = _quote_text(quote), _attribution(quote)
            if len(text) < 20 or in_chrome(quote):
                continue
            value = f"“{text}” — {who}" if who else f"“{text}”"
            found.append(fact(page, value, value))
    return dedupe(found, limit=10)


def _items_in_sections(page: Page, pattern: re.Pattern, selector: str) -> list[tuple[str, str]]:
    """(text, section label) of list items/headings/logos inside blocks labelled `pattern`."""
    items = []
    for node in page.tree.css(selector):
        if in_chrome(node):
            continue
        label = section_label(node)
        if not pattern.search(label):
            continue
        text = node.attributes.get("alt") if node.tag == "img" else node_text(node)
        text = _logo_name(text or "", "")
        if text and len(text) <= 80:
            items.append((text, label))
    return items


def extract_industries(pages: list[Page]) -> list[Fact]:
    found = []
    for page in pages:
        for text, label in _items_in_sections(page, _INDUSTRIES, "li, h3"):
            found.append(fact(page, text, f"{clean(label)[-120:]}: {text}"))
        for link in page.tree.css('a[href*="/industries/"], a[href*="/industry/"]'):
            if node_text(link) and not in_chrome(link):
                found.append(fact(page, node_text(link), f'<a href="{link.attributes.get("href")}">{node_text(link)}</a>'))
    return dedupe(found)


def _integrations_page_items(page: Page) -> Iterable[Fact]:
    """On an integrations page every card names one: its heading, or its logo's alt text."""
    for node in page.tree.css("h3, img[alt]"):
        if in_chrome(node):
            continue
        if node.tag == "h3" and len(node_text(node)) <= 80:
            yield _heading_with_body(page, node)
        elif node.tag == "img" and _logo_name(node.attributes.get("alt") or "", ""):
            yield fact(page, _logo_name(node.attributes["alt"], ""), f'<img alt="{node.attributes["alt"]}">')


def extract_integrations(pages: list[Page]) -> list[Fact]:
    found = []
    for page in pages:
        if page.kind == "integrations":
            found.extend(_integrations_page_items(page))
            continue
        for text, label in _items_in_sections(page, _INTEGRATIONS, "li, h3, img[alt]"):
            found.append(fact(page, text, f"{clean(label)[-120:]}: {text}"))
    return dedupe(found, limit=40)


# --- technologies, social links, contact points -----------------------------------------


def merge_technologies(pages: list[Page]) -> list[Technology]:
    merged: dict[str, Technology] = {}
    for page in pages:
        for tech in page.technologies:
            known = merged.get(tech.name)
            if known is None:
                merged[tech.name] = tech
            elif len(known.evidence) < 3:
                merged[tech.name] = Technology(tech.name, tech.category, known.evidence + tech.evidence)
    return list(merged.values())


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def extract_social_links(pages: list[Page]) -> list[Fact]:
    found = []
    for page in pages:
        for link in page.tree.css("a[href]"):
            href = urljoin(page.url, link.attributes.get("href") or "")
            if _host(href) in SOCIAL_HOSTS and not re.search(r"share|intent|sharer", href):
                found.append(fact(page, href, f'<a href="{href}">{node_text(link)}</a>'))
    org_page, org = organization(pages)
    same_as = org.get("sameAs")
    for href in same_as if isinstance(same_as, list) else [same_as] if isinstance(same_as, str) else []:
        if isinstance(href, str) and _host(href) in SOCIAL_HOSTS:
            found.append(Fact(href, _jsonld_evidence(org_page, "sameAs", href)))
    return dedupe(found)


def _contact_links(page: Page) -> Iterable[Fact]:
    for link in page.tree.css("a[href]"):
        href = (link.attributes.get("href") or "").strip()
        tag = f'<a href="{href}">{node_text(link)}</a>'
        if href.lower().startswith("mailto:"):
            yield fact(page, href[7:].split("?")[0], tag)
        elif href.lower().startswith("tel:"):
            yield fact(page, href[4:], tag)
        elif re.search(r"/contact(?:-us|-sales)?/?$", urlsplit(urljoin(page.url, href)).path):
            yield fact(page, urljoin(page.url, href), tag)


def extract_contact_points(pages: list[Page]) -> list[Fact]:
    found = [item for page in pages for item in _contact_links(page)]
    org_page, org = organization(pages)
    points = org.get("contactPoint")
    for point in [org, *(points if isinstance(points, list) else [points] if isinstance(points, dict) else [])]:
        for key in ("email", "telephone"):
            if isinstance(point.get(key), str) and point[key].strip():
                found.append(Fact(clean(point[key]), _jsonld_evidence(org_page, key, point[key])))
    return dedupe(found)


# --- all together -----------------------------------------------------------------------

def extract_facts(*, url: str, domain: str, pages: list[Page]) -> SiteFacts:
    """Facts from pages already read; `pages[0]` is the homepage."""
    name = extract_name(pages, domain)
    own_name = name.value if name else ""
    _, org = organization(pages)
    return SiteFacts(
        url=url,
        domain=domain,
        name=name,
        tagline=extract_tagline(pages, name),
        description=extract_description(pages),
        value_propositions=extract_value_propositions(pages),
        features=extract_features(pages),
        pricing_tiers=extract_pricing_tiers(pages),
        customers=extract_customers(pages, own_name),
        testimonials=extract_testimonials(pages),
        industries=extract_industries(pages),
        integrations=extract_integrations(pages),
        technologies=merge_technologies(pages),
        social_links=extract_social_links(pages),
        contact_points=extract_contact_points(pages),
        organization=org,
        pages=[PageRead(url=p.url, status=p.status, title=p.title, bytes=p.bytes, kind=p.kind) for p in pages],
        text_chars=sum(len(page.text) for page in pages),
    )
