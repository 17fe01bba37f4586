"""The ICP: validated when a person gives it, inferred (with evidence) when not."""

import json
import re

import pytest
from rest_framework.exceptions import ValidationError

from generators.icp import icp_from_input, icp_infer, size_bounds
from generators.types import ICP_FIELDS, Evidence, Fact, PricingTier, SiteFacts
from tests.generators.writer_fixtures import ledgerly_facts, plainpage_facts


def _site(**facts) -> SiteFacts:
    return SiteFacts(url="https://acme.example/", domain=facts.pop("domain", "acme.example"), **facts)


def _fact(text: str, url: str = "https://acme.example/") -> Fact:
    return Fact(value=text, evidence=(Evidence(url=url, snippet=text),))


def test_a_provided_icp_is_validated_and_fully_trusted():
    icp = icp_from_input({"industries": ["Fintech", "fintech ", ""], "roles": ["CFO"],
                          "company_sizes": ["50-200 employees"]})

    assert icp.source == "provided"
    assert icp.industries.values == ("Fintech",)  # trimmed, blank and case-duplicates dropped
    assert icp.industries.confidence == 1.0
    assert icp.regions.values == () and icp.regions.confidence == 0.0


def test_a_provided_icp_needs_an_industry_or_a_role():
    with pytest.raises(ValidationError) as error:
        icp_from_input({"regions": ["Germany"]})

    assert "at least one industry or one role" in str(error.value.detail["industries"][0])


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"industries": ["SaaS"], "persona": ["x"]}, "persona", "Unknown field."),
    ({"industries": ["x" * 121]}, "industries", "no more than 120 characters"),
    ({"industries": [f"Industry {n}" for n in range(13)]}, "industries", "no more than 12 elements"),
    ({"industries": ["SaaS"], "company_sizes": ["lots"]}, "company_sizes", "is not a company size"),
    ({"industries": "SaaS"}, "industries", "Expected a list of items"),
])
def test_a_provided_icp_gets_clear_field_errors(data, field, message):
    with pytest.raises(ValidationError) as error:
        icp_from_input(data)

    assert message in json.dumps(error.value.detail, default=str)
    assert field in error.value.detail


def test_it_infers_each_field_with_evidence_from_the_facts():
    facts = ledgerly_facts()

    icp = icp_infer(facts)

    assert icp.source == "inferred"
    assert icp.industries.values[0] == "B2B SaaS"
    assert icp.company_sizes.values[0] == "50-500 employees"
    assert icp.regions.values[0] == "United States"
    assert "VP Finance" in icp.roles.values
    assert {"Chasing invoices", "Work kept in spreadsheets"} <= set(icp.pains.values)
    assert "SOC 2 compliance requirement" in icp.buying_triggers.values
    urls = set(re.findall(r"https?://[^\s\"',)]+", json.dumps(facts.as_dict())))
    for name in ICP_FIELDS:
        field = getattr(icp, name)
        if field.values:
            assert 0 < field.confidence < 1
            assert field.evidence and {e.url for e in field.evidence} <= urls


def test_a_field_nothing_supports_stays_empty_with_zero_confidence():
    icp = icp_infer(plainpage_facts())

    assert icp.exclusions.values == () and icp.exclusions.confidence == 0.0
    assert icp.industries.values == () and icp.industries.confidence == 0.0
    assert icp.company_sizes.values == () and icp.regions.values == ()


def test_it_reads_sizes_roles_triggers_and_exclusions_from_the_copy():
    facts = _site(
        tagline=_fact("Built for marketing teams of 10–500 people"),
        value_propositions=[_fact("Onboard new hires in a day"), _fact("Not for agencies or freelancers")],
        features=[_fact("Import from Mailchimp in one click"), _fact("GDPR-ready data residency")],
    )

    icp = icp_infer(facts)

    assert icp.company_sizes.values[0] == "10-500 employees"
    assert icp.roles.values[0] == "Marketing teams"
    assert icp.roles.confidence == 0.7
    assert {"Hiring or growing the team", "Migrating from another tool", "GDPR compliance requirement"} <= set(
        icp.buying_triggers.values)
    assert icp.exclusions.values == ("Agencies or freelancers",)


def test_it_reads_company_sizes_from_pricing_tiers_when_the_copy_is_silent():
    pricing = "https://acme.example/pricing"
    facts = _site(
        description=_fact("Acme keeps your team's documents in order."),
        pricing_tiers=[
            PricingTier("Starter", "£12 per user/month", evidence=(Evidence(pricing, "Starter £12 per user/month"),)),
            PricingTier("Enterprise", "Contact us", evidence=(Evidence(pricing, "Enterprise Contact us"),)),
        ],
    )

    icp = icp_infer(facts)

    assert set(icp.company_sizes.values) == {"1-50 employees", "500+ employees"}
    assert icp.company_sizes.confidence < 0.5  # a reading, not a statement
    assert {e.url for e in icp.company_sizes.evidence} == {pricing}
    assert icp.regions.values == ("United Kingdom",)


def test_it_reads_regions_from_structured_data_contacts_and_the_domain():
    facts = _site(
        domain="acme.de",
        contact_points=[_fact("Kontakt: +49 30 1234567, Berlin")],
        organization={"address": {"addressCountry": "DE"}, "areaServed": ["AT", "CH"]},
    )

    icp = icp_infer(facts)

    # areaServed states the market; the address, phone prefix and .de domain only hint at it.
    assert icp.regions.values == ("Austria", "Switzerland", "Germany")
    assert icp.regions.confidence == 0.8


def test_it_takes_industries_the_site_states_and_sectors_it_mentions():
    facts = _site(
        industries=[_fact("Healthcare", "https://acme.example/industries")],
        description=_fact("Scheduling software for clinics and hospitals."),
        organization={"audience": {"@type": "Audience", "audienceType": "Dental practices"}},
    )

    icp = icp_infer(facts)

    assert icp.industries.values[:2] == ("Healthcare", "Dental practices")
    assert icp.industries.confidence == 0.9  # stated and corroborated by the copy


@pytest.mark.parametrize(("phrase", "bounds"), [
    ("50-200 employees", (50, 200)), ("1,000+ employees", (1000, None)), ("up to 25 seats", (1, 25)),
    ("Enterprise", (500, None)), ("mid-market", (50, 500)), ("Public companies", (None, None)),
])
def test_size_bounds_reads_ranges_and_bands(phrase, bounds):
    assert size_bounds(phrase) == bounds
