"""The site reader on a believable B2B SaaS site served from 127.0.0.1."""

import pytest

from generators.site_reader import normalize_site_url, read_site
from generators.types import InsufficientInformation
from tests.generators.local_http import LocalServer, html, site_routes


@pytest.fixture
def local_fetches(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = ["127.0.0.1", "localhost"]


@pytest.fixture
def relaypoint(local_fetches):
    with LocalServer(site_routes("relaypoint")) as server:
        yield server


@pytest.fixture
def facts(relaypoint):
    return read_site(relaypoint.url())


def values(facts_list):
    return [fact.value for fact in facts_list]


def test_it_reads_the_homepage_and_the_pages_worth_reading(facts, relaypoint):
    kinds = {page.kind: page.url for page in facts.pages}

    assert kinds == {
        "home": relaypoint.url("/"), "about": relaypoint.url("/about"), "pricing": relaypoint.url("/pricing"),
        "product": relaypoint.url("/features"), "customers": relaypoint.url("/customers"),
        "integrations": relaypoint.url("/integrations"),
    }
    assert all(page.status == 200 and page.bytes > 0 for page in facts.pages)
    assert facts.text_chars >= 2000


def test_it_respects_robots_txt(relaypoint, facts):
    assert relaypoint.paths()[0] == "/robots.txt"
    assert "/company/" not in relaypoint.paths()
    assert "/blog/" not in relaypoint.paths()  # not a page worth reading


def test_it_identifies_itself_with_a_clear_user_agent(relaypoint, facts):
    agents = {request.headers["user-agent"] for request in relaypoint.received}

    assert agents == {"LaunchdeckBot/1.0 (+https://launchdeck.dev/bot; campaign research)"}


def test_it_extracts_name_tagline_and_description(facts):
    assert facts.name.value == "Relaypoint"
    assert facts.tagline.value == "Know where your revenue is going before your board asks"
    assert facts.description.value.startswith("Relaypoint unifies CRM, billing and product usage data")


def test_it_extracts_value_propositions_and_features(facts):
    assert values(facts.value_propositions) == [
        "Relaypoint joins your CRM, billing and product usage data into one forecast your sales, "
        "finance and customer success teams all trust.",
        "Forecasts your CFO will sign off on",
        "Catch churn risk 60 days earlier",
        "Prove which campaigns create pipeline",
    ]
    assert values(facts.features) == [
        "Unified revenue model", "Account health scores", "Board-ready dashboards",
        "Pipeline forecasting", "Renewal radar",
    ]


def test_it_extracts_pricing_tiers_with_prices_as_written(facts):
    tiers = [(tier.name, tier.price, tier.features[0]) for tier in facts.pricing_tiers]

    assert tiers == [
        ("Starter", "$49/user/month", "CRM and billing sync"),
        ("Growth", "$99/user/month", "Everything in Starter"),
        ("Enterprise", "Contact sales", "SSO and SCIM"),
    ]
    assert facts.pricing_tiers[0].evidence[0].url.endswith("/pricing")


def test_it_extracts_customers_and_testimonials(facts):
    assert values(facts.customers) == [
        "Northwind Traders", "Fabrikam", "Contoso Cloud", "Tailspin Toys", "Adatum Corporation", "Woodgrove Bank",
    ]
    assert len(facts.testimonials) == 2
    assert facts.testimonials[0].value.endswith("— Dana Whitfield, VP Revenue Operations, Northwind Traders")
    assert "gross retention went from 86% to 93%" in facts.testimonials[1].value


def test_it_extracts_industries_and_integrations(facts):
    assert values(facts.industries) == ["B2B SaaS", "Fintech", "Developer tools"]
    assert values(facts.integrations) == ["Salesforce", "HubSpot", "Stripe", "Snowflake", "Zendesk"]


def test_it_detects_technologies_from_the_markup(facts):
    found = {(tech.name, tech.category) for tech in facts.technologies}

    assert found == {
        ("Google Analytics", "analytics"), ("HubSpot", "marketing_automation"),
        ("Intercom", "chat"), ("Stripe", "payments"),
    }
    stripe = next(tech for tech in facts.technologies if tech.name == "Stripe")
    assert stripe.evidence[0].snippet == '<script src="https://js.stripe.com/v3/">'


def test_it_extracts_social_links_contact_points_and_organization(facts, relaypoint):
    assert values(facts.social_links) == [
        "https://www.linkedin.com/company/relaypoint", "https://github.com/relaypoint", "https://x.com/relaypoint",
    ]
    assert values(facts.contact_points) == [
        relaypoint.url("/contact"), "hello@relaypoint.example", "+14155550142",
        "sales@relaypoint.example", "+1-415-555-0142",
    ]
    assert facts.organization["legalName"] == "Relaypoint Analytics, Inc."


def test_every_fact_carries_evidence_from_a_page_it_read(facts):
    read = {page.url for page in facts.pages}
    facts_with_evidence = [
        facts.name, facts.tagline, facts.description, *facts.value_propositions, *facts.features,
        *facts.pricing_tiers, *facts.customers, *facts.testimonials, *facts.industries, *facts.integrations,
        *facts.technologies, *facts.social_links, *facts.contact_points,
    ]

    for item in facts_with_evidence:
        assert item.evidence, item
        for evidence in item.evidence:
            assert evidence.url in read
            assert 0 < len(evidence.snippet) <= 300


def test_it_leaves_fields_empty_when_the_site_says_nothing_about_them(local_fetches):
    plain = "<p>" + "We repair bicycles in town and sell second-hand parts. " * 6 + "</p>"
    page = f"<html><head><title>Spokes</title></head><body><h1>Bike repairs</h1>{plain}</body></html>"

    with LocalServer({"/": html(page)}) as server:
        facts = read_site(server.url())

    assert facts.name is None
    assert facts.description is None
    assert facts.tagline.value == "Bike repairs"
    assert (facts.pricing_tiers, facts.customers, facts.testimonials, facts.technologies) == ([], [], [], [])
    assert facts.organization == {}


def test_it_refuses_to_write_from_too_little_text(local_fetches):
    with LocalServer({"/": html("<html><body><h1>Coming soon</h1></body></html>")}) as server, pytest.raises(InsufficientInformation) as refused:
        read_site(server.url())

    assert refused.value.missing == ["readable text"]


def test_it_reports_an_unreachable_site(local_fetches):
    with LocalServer() as server:
        url = server.url()
    with pytest.raises(InsufficientInformation) as refused:
        read_site(url)

    assert refused.value.missing == ["a reachable website"]


def test_it_reports_a_homepage_that_answers_with_an_error(local_fetches):
    with LocalServer({"/": html("<h1>Oops</h1>", status=503)}) as server, pytest.raises(InsufficientInformation) as refused:
        read_site(server.url())

    assert refused.value.missing == ["a reachable website"]
    assert "HTTP 503" in refused.value.detail


def test_it_decodes_the_charset_the_page_declares(local_fetches):
    body = ("<html><head><meta charset='iso-8859-1'><title>Café Crème - Kaffeeröstung</title></head><body>"
            "<h1>Frisch geröstet in München</h1><p>" + "Bohnen aus fairem Handel, geröstet für Büros. " * 6
            + "</p></body></html>").encode("iso-8859-1")
    routes = {"/": lambda h: _send(h, body, "text/html")}

    with LocalServer(routes) as server:
        facts = read_site(server.url())

    assert facts.tagline.value == "Frisch geröstet in München"
    assert facts.pages[0].title == "Café Crème - Kaffeeröstung"


def _send(handler, body: bytes, content_type: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.mark.parametrize(("given", "normalized"), [
    ("Relaypoint.example", "https://relaypoint.example/"),
    ("relaypoint.example/pricing#plans", "https://relaypoint.example/pricing"),
    ("HTTP://Relaypoint.example:80/", "http://relaypoint.example/"),
    ("  https://bücher.example  ", "https://xn--bcher-kva.example/"),
])
def test_it_normalises_the_website_address(given, normalized):
    assert normalize_site_url(given) == normalized
