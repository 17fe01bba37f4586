"""Live enrichment through Apollo and Clearbit, against local servers speaking their APIs."""

import json
import logging
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from generators.enrichment import ApolloProvider, ClearbitProvider, enrich_domain, enrichment_domain
from tests.generators.local_http import LocalServer, json_reply

APOLLO_KEY = "apollo-test-key-9f8e7d6c5b4a"
CLEARBIT_KEY = "sk_clearbit_test_1a2b3c4d5e6f"

APOLLO_ORGANIZATION = {
    "organization": {
        "id": "5e66b6381e05b4008c8331b8",
        "name": "Relaypoint",
        "website_url": "http://www.relaypoint.example",
        "primary_domain": "relaypoint.example",
        "linkedin_url": "http://www.linkedin.com/company/relaypoint",
        "estimated_num_employees": 48,
        "industry": "computer software",
        "keywords": ["revenue analytics", "saas"],
        "annual_revenue": 7400000,
        "annual_revenue_printed": "7.4M",
        "founded_year": 2019,
        "city": "Austin", "state": "Texas", "country": "United States",
        "technology_names": ["Salesforce", "HubSpot", "Stripe", "Intercom"],
        "current_technologies": [{"uid": "salesforce", "name": "Salesforce", "category": "CRM"}],
        "short_description": "Revenue analytics for B2B SaaS companies.",
        "total_funding": None,
        "latest_funding_stage": "Seed",
    }
}

CLEARBIT_COMPANY = {
    "id": "3f5d6a4e-c284-4f78-bfdf-7669b45af907",
    "name": "Relaypoint",
    "legalName": "Relaypoint Analytics, Inc.",
    "domain": "relaypoint.example",
    "domainAliases": [],
    "category": {"sector": "Information Technology", "industryGroup": "Software & Services",
                 "industry": "Internet Software & Services", "subIndustry": "Internet Software & Services"},
    "tags": ["SAAS", "B2B", "Enterprise"],
    "description": "Revenue analytics for B2B SaaS companies.",
    "foundedYear": 2019,
    "location": "Austin, TX, USA",
    "geo": {"city": "Austin", "state": "Texas", "country": "United States", "countryCode": "US"},
    "linkedin": {"handle": "company/relaypoint"},
    "metrics": {"employees": 48, "employeesRange": "11-50", "estimatedAnnualRevenue": "$1M-$10M",
                "annualRevenue": None, "raised": 4500000},
    "tech": ["google_analytics", "hubspot", "intercom", "stripe"],
    "techCategories": ["analytics", "marketing_automation", "customer_support", "payment"],
}


def _apollo(handler):
    query = parse_qs(urlsplit(handler.path).query)
    domain = query.get("domain", [""])[0]
    if handler.headers.get("x-api-key") != APOLLO_KEY:
        reply = json_reply({"error": "Invalid access credentials.", "error_code": "INVALID_API_KEY_ERROR"}, 401)
    elif domain == "relaypoint.example":
        reply = json_reply(APOLLO_ORGANIZATION)
    elif domain == "crash.example":
        reply = json_reply({"error": "Internal server error"}, 500)
    elif domain == "slow.example":
        time.sleep(1.5)
        reply = json_reply(APOLLO_ORGANIZATION)
    elif domain == "gone.example":
        reply = json_reply({"error": "not found"}, 404)
    else:
        reply = json_reply({})  # Apollo answers an unknown domain with no organization
    reply.send(handler)


def _clearbit(handler):
    query = parse_qs(urlsplit(handler.path).query)
    domain = query.get("domain", [""])[0]
    if handler.headers.get("authorization") != f"Bearer {CLEARBIT_KEY}":
        reply = json_reply({"error": {"type": "auth_required", "message": "Invalid API key provided."}}, 401)
    elif domain == "relaypoint.example":
        reply = json_reply(CLEARBIT_COMPANY)
    elif domain == "crash.example":
        reply = json_reply({"error": {"type": "server_error", "message": "Something went wrong."}}, 500)
    elif domain == "slow.example":
        time.sleep(1.5)
        reply = json_reply(CLEARBIT_COMPANY)
    elif domain == "pending.example":
        reply = json_reply({}, 202)
    else:
        reply = json_reply({"error": {"type": "unknown_record", "message": "Unknown domain"}}, 404)
    reply.send(handler)


@pytest.fixture
def apollo(settings):
    with LocalServer({"/api/v1/organizations/enrich": _apollo}) as server:
        settings.APOLLO_API_KEY = APOLLO_KEY
        settings.APOLLO_BASE_URL = server.url("")
        yield server


@pytest.fixture
def clearbit(settings):
    with LocalServer({"/v2/companies/find": _clearbit}) as server:
        settings.CLEARBIT_API_KEY = CLEARBIT_KEY
        settings.CLEARBIT_BASE_URL = server.url("")
        yield server


@pytest.fixture(autouse=True)
def no_allow_list(settings):
    """Provider base URLs are trusted as configuration; nothing else is allowed."""
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = []


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_no_key_leaked(results, logs):
    written = logs.text + json.dumps([r.as_dict() for r in results])
    assert APOLLO_KEY not in written
    assert CLEARBIT_KEY not in written


def test_it_enriches_a_domain_from_both_providers(apollo, clearbit, logs):
    results = enrich_domain("https://www.relaypoint.example/pricing")

    assert [(r.source, r.status, r.error) for r in results] == [("apollo", "ok", None), ("clearbit", "ok", None)]
    apollo_data, clearbit_data = results[0].data, results[1].data
    assert apollo_data["employees"] == 48
    assert apollo_data["industry"] == "computer software"
    assert apollo_data["technologies"] == ["Salesforce", "HubSpot", "Stripe", "Intercom"]
    assert apollo_data["location"] == "Austin, Texas, United States"
    assert "total_funding" not in apollo_data  # blank at the provider: unknown, not zero
    assert clearbit_data["employees_range"] == "11-50"
    assert clearbit_data["industry"] == "Internet Software & Services"
    assert clearbit_data["technologies"] == ["google_analytics", "hubspot", "intercom", "stripe"]
    assert_no_key_leaked(results, logs)


def test_it_sends_each_provider_its_real_request(apollo, clearbit):
    enrich_domain("relaypoint.example")

    apollo_request, clearbit_request = apollo.received[0], clearbit.received[0]
    assert apollo_request.path == "/api/v1/organizations/enrich?domain=relaypoint.example"
    assert apollo_request.headers["x-api-key"] == APOLLO_KEY
    assert clearbit_request.path == "/v2/companies/find?domain=relaypoint.example"
    assert clearbit_request.headers["authorization"] == f"Bearer {CLEARBIT_KEY}"
    assert "api_key" not in apollo_request.path


def test_an_unknown_domain_is_not_found_not_an_error(apollo, clearbit, logs):
    results = enrich_domain("nobody-knows.example")

    assert [(r.source, r.status, r.data) for r in results] == [("apollo", "not_found", None),
                                                                ("clearbit", "not_found", None)]


def test_apollo_answering_404_is_not_found(apollo):
    assert ApolloProvider().enrich("gone.example").status == "not_found"


def test_a_rejected_key_is_reported_per_source_without_the_key(apollo, clearbit, settings, logs):
    settings.APOLLO_API_KEY = "apollo-wrong-key-000"
    settings.CLEARBIT_API_KEY = "sk_clearbit_wrong_000"

    results = enrich_domain("relaypoint.example")

    assert [(r.status, r.error) for r in results] == [
        ("error", "the API key was rejected (HTTP 401)"), ("error", "the API key was rejected (HTTP 401)"),
    ]
    assert "apollo-wrong-key-000" not in logs.text
    assert "sk_clearbit_wrong_000" not in logs.text


def test_a_provider_failure_is_an_error_result_not_an_exception(apollo, clearbit, logs):
    results = enrich_domain("crash.example")

    assert [(r.status, r.error) for r in results] == [
        ("error", "the provider failed (HTTP 500)"), ("error", "the provider failed (HTTP 500)"),
    ]
    assert_no_key_leaked(results, logs)


def test_a_slow_provider_times_out_with_a_short_message(apollo, clearbit, logs):
    results = [ApolloProvider(timeout=0.3).enrich("slow.example"), ClearbitProvider(timeout=0.3).enrich("slow.example")]

    assert [(r.status, r.error) for r in results] == [
        ("error", "the provider did not answer in time"), ("error", "the provider did not answer in time"),
    ]
    assert_no_key_leaked(results, logs)


def test_providers_are_asked_concurrently(apollo, clearbit):
    """Each fake answers "together.example" only once the other has been asked too: asked one
    after the other, the first would wait out the barrier and fail."""
    together = threading.Barrier(2, timeout=5)

    def meet_then(answer):
        def handler(request):
            try:
                together.wait()
            except threading.BrokenBarrierError:
                json_reply({"error": "asked alone"}, 500).send(request)
                return
            answer(request)
        return handler

    apollo.routes["/api/v1/organizations/enrich"] = meet_then(lambda h: json_reply(APOLLO_ORGANIZATION).send(h))
    clearbit.routes["/v2/companies/find"] = meet_then(lambda h: json_reply(CLEARBIT_COMPANY).send(h))

    results = enrich_domain("together.example")

    assert [r.status for r in results] == ["ok", "ok"]


def test_clearbit_still_looking_up_a_domain_is_an_error_to_retry(clearbit):
    result = ClearbitProvider().enrich("pending.example")

    assert (result.status, result.error) == ("error", "the provider is still looking this domain up; try again shortly")


def test_an_unreachable_provider_is_an_error(settings):
    with LocalServer() as server:
        base_url = server.url("")
    settings.APOLLO_API_KEY = APOLLO_KEY
    settings.APOLLO_BASE_URL = base_url

    result = ApolloProvider().enrich("relaypoint.example")

    assert result.status == "error"
    assert result.error.startswith("could not reach the provider")


def test_providers_without_a_key_are_not_configured_and_not_called(settings, apollo):
    settings.APOLLO_API_KEY = None
    settings.CLEARBIT_API_KEY = None

    results = enrich_domain("relaypoint.example")

    assert [(r.source, r.status, r.data, r.error) for r in results] == [
        ("apollo", "not_configured", None, None), ("clearbit", "not_configured", None, None),
    ]
    assert apollo.received == []


@pytest.mark.parametrize(("given", "domain"), [
    ("https://www.Relaypoint.example/pricing", "relaypoint.example"),
    ("relaypoint.example", "relaypoint.example"),
    ("app.relaypoint.example.", "app.relaypoint.example"),
])
def test_it_asks_about_the_bare_domain(given, domain):
    assert enrichment_domain(given) == domain
