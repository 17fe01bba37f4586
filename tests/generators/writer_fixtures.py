"""Site facts as the site reader would produce them, built by hand for writer tests.

Ledgerly is a rich site (every kind of fact, with evidence); Plainpage is a thin one (a
name, a description and one feature), the case where writers must write less, not invent.
"""

from generators.types import Evidence, Fact, PricingTier, SiteFacts, Technology

HOME = "https://ledgerly.example/"
PRICING = "https://ledgerly.example/pricing"
CUSTOMERS = "https://ledgerly.example/customers"
INTEGRATIONS = "https://ledgerly.example/integrations"


def _fact(value: str, url: str = HOME, snippet: str | None = None) -> Fact:
    return Fact(value=value, evidence=(Evidence(url=url, snippet=snippet or value),))


def ledgerly_facts() -> SiteFacts:
    return SiteFacts(
        url=HOME,
        domain="ledgerly.example",
        name=_fact("Ledgerly"),
        tagline=_fact("Close your books in days, not weeks"),
        description=_fact(
            "Ledgerly is the finance automation platform for B2B SaaS companies with 50-500 employees."
        ),
        value_propositions=[
            _fact("Close your books in days, not weeks"),
            _fact("Stop chasing invoices: collections run on autopilot"),
            _fact("No more spreadsheets for revenue recognition"),
        ],
        features=[
            _fact("Automated bank reconciliation across every account"),
            _fact("Revenue recognition that follows ASC 606"),
            _fact("Approval workflows for spend and invoices"),
            _fact("SOC 2 Type II audited, with audit trails for every change"),
        ],
        pricing_tiers=[
            PricingTier(name="Starter", price="$49/mo per seat", features=("Bank reconciliation", "Up to 3 entities"),
                        evidence=(Evidence(url=PRICING, snippet="Starter $49/mo per seat"),)),
            PricingTier(name="Growth", price="$99/mo per seat", features=("Revenue recognition",),
                        evidence=(Evidence(url=PRICING, snippet="Growth $99/mo per seat"),)),
            PricingTier(name="Enterprise", price="Contact sales", features=("SSO", "Dedicated support"),
                        evidence=(Evidence(url=PRICING, snippet="Enterprise Contact sales"),)),
        ],
        customers=[_fact("Northwind", CUSTOMERS), _fact("Globex", CUSTOMERS), _fact("Initech", CUSTOMERS)],
        testimonials=[
            _fact("“Ledgerly cut our month-end close from 12 days to 4.” — Dana Ruiz, VP Finance at Northwind",
                  CUSTOMERS),
        ],
        industries=[_fact("B2B SaaS", CUSTOMERS, "Built for B2B SaaS finance teams")],
        integrations=[_fact("QuickBooks", INTEGRATIONS), _fact("Xero", INTEGRATIONS),
                      _fact("Stripe", INTEGRATIONS), _fact("HubSpot", INTEGRATIONS)],
        technologies=[
            Technology(name="HubSpot", category="marketing_automation",
                       evidence=(Evidence(url=HOME, snippet='<script src="//js.hs-scripts.com/123.js">'),)),
            Technology(name="Google Analytics", category="analytics",
                       evidence=(Evidence(url=HOME, snippet="gtag('config', 'G-XYZ')"),)),
        ],
        social_links=[_fact("https://www.linkedin.com/company/ledgerly")],
        contact_points=[_fact("sales@ledgerly.example, +1 415 555 0100, San Francisco, United States")],
        organization={"@type": "Organization", "name": "Ledgerly", "areaServed": "US"},
        text_chars=9000,
    )


def plainpage_facts() -> SiteFacts:
    url = "https://plainpage.example/"
    return SiteFacts(
        url=url,
        domain="plainpage.example",
        name=_fact("Plainpage", url),
        description=_fact("Plainpage turns meeting notes into shared docs.", url),
        features=[_fact("Share notes with one link", url)],
        text_chars=400,
    )
