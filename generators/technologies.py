"""Technologies a page's HTML shows it uses: analytics, marketing automation, CRM, chat,
payments, CMS, e-commerce and a few neighbours.

A small curated table rather than a Wappalyzer port: the maintained Python ports are GPLv3,
one pulls in Playwright and a 35 MB browser extension, the other carries a fingerprint file
frozen since the upstream project closed and fetches its own updates outside our SSRF guard.
What matters for a campaign (which CRM, which marketing automation, which chat) is a short list.

Only machine-facing markup is matched: script sources and inline script code, meta
generators, link/iframe sources and form actions. Body text is never matched, so a page that
says "integrates with Stripe" does not count as using Stripe.
"""

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from generators.types import Evidence, Technology

SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Fingerprint:
    name: str
    category: str
    urls: tuple[str, ...] = ()  # regexes against script/link/iframe sources and form actions
    code: tuple[str, ...] = ()  # regexes against inline script code (globals, loader snippets)
    generator: tuple[str, ...] = ()  # regexes against <meta name="generator">
    markup: tuple[str, ...] = ()  # regexes against attributes only a product emits (data-wf-site)


FINGERPRINTS: tuple[Fingerprint, ...] = (
    # Analytics and tag management
    Fingerprint("Google Analytics", "analytics",
                urls=(r"google-analytics\.com/(analytics|ga)\.js", r"googletagmanager\.com/gtag/js"),
                code=(r"\bgtag\(\s*['\"]config['\"]", r"GoogleAnalyticsObject")),
    Fingerprint("Google Tag Manager", "tag_manager",
                urls=(r"googletagmanager\.com/gtm\.js", r"googletagmanager\.com/ns\.html"),
                code=(r"googletagmanager\.com/gtm\.js", r"\bGTM-[A-Z0-9]{4,}")),
    Fingerprint("Segment", "analytics", urls=(r"cdn\.segment\.(com|io)/",), code=(r"analytics\.load\(",)),
    Fingerprint("Mixpanel", "analytics", urls=(r"cdn\.mxpnl\.com", r"mixpanel\.com/libs"), code=(r"mixpanel\.init\(",)),
    Fingerprint("Amplitude", "analytics", urls=(r"cdn\.amplitude\.com",), code=(r"amplitude\.getInstance\(", r"amplitude\.init\(")),
    Fingerprint("Heap", "analytics", urls=(r"cdn\.heapanalytics\.com",), code=(r"heap\.load\(",)),
    Fingerprint("Hotjar", "analytics", urls=(r"static\.hotjar\.com",), code=(r"_hjSettings",)),
    Fingerprint("PostHog", "analytics", urls=(r"posthog\.com/static/array\.js", r"/posthog(\.min)?\.js"), code=(r"posthog\.init\(",)),
    Fingerprint("Plausible", "analytics", urls=(r"plausible\.io/js/",)),
    Fingerprint("Fathom", "analytics", urls=(r"cdn\.usefathom\.com",)),
    Fingerprint("Matomo", "analytics", urls=(r"/matomo\.js", r"/piwik\.js"), code=(r"_paq\.push\(",)),
    Fingerprint("Microsoft Clarity", "analytics", urls=(r"clarity\.ms/tag",), code=(r"clarity\.ms/tag",)),
    Fingerprint("FullStory", "analytics", urls=(r"fullstory\.com/s/fs\.js",), code=(r"window\['_fs_org'\]", r"_fs_org\s*=")),
    Fingerprint("LinkedIn Insight Tag", "advertising", urls=(r"snap\.licdn\.com/li\.lms-analytics",), code=(r"_linkedin_partner_id",)),
    Fingerprint("Meta Pixel", "advertising", urls=(r"connect\.facebook\.net/[^\"']*/fbevents\.js",), code=(r"fbq\(\s*['\"]init['\"]",)),
    # Marketing automation
    Fingerprint("HubSpot", "marketing_automation",
                urls=(r"js\.hs-scripts\.com", r"js\.hsforms\.net", r"js\.hs-analytics\.net", r"js\.hscollectedforms\.net"),
                code=(r"\b_hsq\b", r"hbspt\.forms\.create")),
    Fingerprint("Marketo", "marketing_automation", urls=(r"munchkin\.marketo\.net", r"/js/forms2/js/forms2"), code=(r"Munchkin\.init\(",)),
    Fingerprint("Pardot", "marketing_automation", urls=(r"pi\.pardot\.com", r"go\.pardot\.com"), code=(r"\bpiAId\b",)),
    Fingerprint("ActiveCampaign", "marketing_automation", urls=(r"trackcmp\.net", r"activehosted\.com")),
    Fingerprint("Mailchimp", "marketing_automation", urls=(r"chimpstatic\.com", r"list-manage\.com")),
    Fingerprint("Klaviyo", "marketing_automation", urls=(r"static\.klaviyo\.com",)),
    Fingerprint("Customer.io", "marketing_automation", urls=(r"assets\.customer\.io",)),
    # CRM
    Fingerprint("Salesforce", "crm", urls=(r"webto\.salesforce\.com", r"\.force\.com/", r"\.my\.salesforce\.com")),
    Fingerprint("Pipedrive", "crm", urls=(r"webforms\.pipedrive\.com", r"leadbooster-chat\.pipedrive\.com")),
    Fingerprint("Zoho CRM", "crm", urls=(r"crm\.zoho\.(com|eu)", r"salesiq\.zoho\.")),
    # Chat and support
    Fingerprint("Intercom", "chat", urls=(r"widget\.intercom\.io", r"js\.intercomcdn\.com"),
                code=(r"intercomSettings", r"Intercom\(\s*['\"]boot['\"]")),
    Fingerprint("Drift", "chat", urls=(r"js\.driftt\.com",), code=(r"drift\.load\(",)),
    Fingerprint("Zendesk", "chat", urls=(r"static\.zdassets\.com", r"v2\.zopim\.com")),
    Fingerprint("Crisp", "chat", urls=(r"client\.crisp\.chat",), code=(r"CRISP_WEBSITE_ID",)),
    Fingerprint("LiveChat", "chat", urls=(r"cdn\.livechatinc\.com",), code=(r"__lc\.license",)),
    Fingerprint("tawk.to", "chat", urls=(r"embed\.tawk\.to",)),
    Fingerprint("Olark", "chat", urls=(r"static\.olark\.com",)),
    # Payments and billing
    Fingerprint("Stripe", "payments", urls=(r"js\.stripe\.com", r"checkout\.stripe\.com", r"buy\.stripe\.com")),
    Fingerprint("PayPal", "payments", urls=(r"paypal\.com/sdk/js", r"paypalobjects\.com")),
    Fingerprint("Paddle", "payments", urls=(r"cdn\.paddle\.com",), code=(r"Paddle\.Setup\(", r"Paddle\.Initialize\(")),
    Fingerprint("Chargebee", "payments", urls=(r"js\.chargebee\.com",), code=(r"Chargebee\.init\(",)),
    Fingerprint("Braintree", "payments", urls=(r"js\.braintreegateway\.com",)),
    Fingerprint("Recurly", "payments", urls=(r"js\.recurly\.com",)),
    Fingerprint("Lemon Squeezy", "payments", urls=(r"assets\.lemonsqueezy\.com", r"app\.lemonsqueezy\.com/js")),
    # CMS and site builders
    Fingerprint("WordPress", "cms", urls=(r"/wp-content/", r"/wp-includes/"), generator=(r"^WordPress",)),
    Fingerprint("Webflow", "cms", urls=(r"assets\.website-files\.com", r"uploads-ssl\.webflow\.com"),
                generator=(r"^Webflow",), markup=(r"data-wf-site",)),
    Fingerprint("Drupal", "cms", urls=(r"/sites/default/files/",), generator=(r"^Drupal",)),
    Fingerprint("Ghost", "cms", generator=(r"^Ghost",)),
    Fingerprint("Wix", "cms", urls=(r"static\.wixstatic\.com", r"static\.parastorage\.com"), generator=(r"Wix\.com",)),
    Fingerprint("Squarespace", "cms", urls=(r"static1\.squarespace\.com", r"assets\.squarespace\.com"), generator=(r"Squarespace",)),
    Fingerprint("Framer", "cms", urls=(r"framerusercontent\.com", r"framer\.com/m/"), generator=(r"^Framer",)),
    Fingerprint("Contentful", "cms", urls=(r"images\.ctfassets\.net", r"cdn\.contentful\.com")),
    Fingerprint("HubSpot CMS", "cms", generator=(r"^HubSpot",)),
    # E-commerce
    Fingerprint("Shopify", "ecommerce", urls=(r"cdn\.shopify\.com", r"\.myshopify\.com"), code=(r"Shopify\.shop\s*=",)),
    Fingerprint("WooCommerce", "ecommerce", urls=(r"/wp-content/plugins/woocommerce/",), generator=(r"^WooCommerce",)),
    Fingerprint("Magento", "ecommerce", urls=(r"/static/version\d+/frontend/", r"mage/cookies"), generator=(r"Magento",)),
    Fingerprint("BigCommerce", "ecommerce", urls=(r"cdn\d*\.bigcommerce\.com",)),
    # Scheduling and experimentation, often next to the above in a B2B funnel
    Fingerprint("Calendly", "scheduling", urls=(r"assets\.calendly\.com", r"calendly\.com/assets/external/widget")),
    Fingerprint("Chili Piper", "scheduling", urls=(r"js\.chilipiper\.com",)),
    Fingerprint("Optimizely", "experimentation", urls=(r"cdn\.optimizely\.com",)),
    Fingerprint("VWO", "experimentation", urls=(r"dev\.visualwebsiteoptimizer\.com",), code=(r"_vwo_code",)),
)

_COMPILED = [
    (fp, {kind: [re.compile(p, re.IGNORECASE) for p in getattr(fp, kind)]
          for kind in ("urls", "code", "generator", "markup")})
    for fp in FINGERPRINTS
]


@dataclass(frozen=True)
class _Signals:
    """The machine-facing parts of one page, each kept with the markup it came from."""

    urls: list[tuple[str, str]]  # (url, the tag's outer HTML)
    code: list[str]
    generators: list[tuple[str, str]]
    html: str


def _signals(tree: LexborHTMLParser, html: str) -> _Signals:
    urls = []
    for selector, attribute in (("script[src]", "src"), ("link[href]", "href"),
                                ("iframe[src]", "src"), ("form[action]", "action"), ("img[src]", "src")):
        for node in tree.css(selector):
            value = node.attributes.get(attribute) or ""
            urls.append((value, _tag_only(node.html or "")))
    code = [node.text(deep=True) or "" for node in tree.css("script:not([src])")]
    generators = [((node.attributes.get("content") or "").strip(), _tag_only(node.html or ""))
                  for node in tree.css('meta[name="generator" i]')]
    return _Signals(urls=urls, code=code, generators=generators, html=html)


def _tag_only(outer_html: str) -> str:
    """The opening tag: enough to show where a technology was seen."""
    end = outer_html.find(">")
    return outer_html[: end + 1] if end != -1 else outer_html


def _around(text: str, match: re.Match) -> str:
    half = SNIPPET_CHARS // 2
    start = max(0, match.start() - half)
    return " ".join(text[start: match.end() + half].split())


def _match(fp_patterns: dict, signals: _Signals) -> str | None:
    """The snippet showing the first signal a fingerprint matches, or None."""
    for pattern in fp_patterns["generator"]:
        for content, tag in signals.generators:
            if pattern.search(content):
                return tag
    for pattern in fp_patterns["urls"]:
        for url, tag in signals.urls:
            if pattern.search(url):
                return tag[:SNIPPET_CHARS * 2]
    for pattern in fp_patterns["code"]:
        for code in signals.code:
            found = pattern.search(code)
            if found:
                return _around(code, found)
    for pattern in fp_patterns["markup"]:
        found = pattern.search(signals.html)
        if found:
            return _around(signals.html, found)
    return None


def detect_technologies(*, url: str, html: str, tree: LexborHTMLParser | None = None) -> list[Technology]:
    """The technologies one page shows, each with the markup it was recognised by."""
    tree = tree or LexborHTMLParser(html)
    signals = _signals(tree, html)
    found = []
    for fp, patterns in _COMPILED:
        snippet = _match(patterns, signals)
        if snippet is not None:
            found.append(Technology(name=fp.name, category=fp.category,
                                    evidence=(Evidence(url=url, snippet=snippet[:300]),)))
    return found
