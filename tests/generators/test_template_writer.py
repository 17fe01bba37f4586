"""The template writer: specific copy from the facts and the ICP, nothing invented."""

import json
import re

import pytest

from generators.icp import icp_from_input, icp_infer
from generators.schemas import validate_part
from generators.types import PARTS, Evidence, Fact, PartFailed, SiteFacts
from generators.writers.template import TemplateWriter
from tests.generators.writer_fixtures import HOME, ledgerly_facts, plainpage_facts

PROVIDED_ICP = {
    "industries": ["Fintech", "B2B SaaS"],
    "company_sizes": ["50-200 employees"],
    "regions": ["United States"],
    "roles": ["CFO", "Finance teams"],
    "pains": ["Slow month-end close"],
}

# Words the writer itself contributes: section labels, greetings, source names for enrichment.
WRITER_VOCABULARY = {
    "I", "I'm", "I'll", "Hi", "Apollo", "Clearbit", "LinkedIn", "BuiltWith", "Wappalyzer", "Crunchbase",
    "The", "Job", "Search", "Take", "Match", "Detect", "Look", "Compare", "Read", "Check",
    "ICP", "ICP's", "API", "HTML",
}


def _write(part, facts, icp):
    deltas: list[str] = []
    result = TemplateWriter().write(part, facts=facts, icp=icp, emit_delta=deltas.append)
    return result, deltas


def _icps(facts):
    return {"inferred": icp_infer(facts), "provided": icp_from_input(PROVIDED_ICP)}


def _texts(value, skip=("evidence", "lint", "url")):
    """Every string the writer wrote (evidence is copied from the facts, so it is skipped)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _texts(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, skip)
    elif isinstance(value, str):
        yield value


def _known_urls(facts: SiteFacts) -> set[str]:
    return set(re.findall(r"https?://[^\s\"',)]+", json.dumps(facts.as_dict())))


CASES = [
    (site, icp_kind, part)
    for site in (ledgerly_facts, plainpage_facts)
    for icp_kind in ("inferred", "provided")
    for part in PARTS
    # Plainpage's inferred ICP is empty and it lists no tools: see the PartFailed test below.
    if (site, icp_kind, part) != (plainpage_facts, "inferred", "enrichment")
]


@pytest.mark.parametrize(("site", "icp_kind", "part"), CASES)
def test_it_writes_every_part_valid_against_its_schema(site, icp_kind, part):
    facts = site()

    result, deltas = _write(part, facts, _icps(facts)[icp_kind])

    assert validate_part(part, result) == result
    assert deltas and all(deltas)


@pytest.mark.parametrize("part", PARTS)
def test_it_is_deterministic(part):
    facts = ledgerly_facts()

    first = _write(part, facts, icp_infer(facts))
    second = _write(part, ledgerly_facts(), icp_infer(ledgerly_facts()))

    assert first == second


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("icp_kind", ["inferred", "provided"])
def test_every_number_it_writes_comes_from_the_facts_or_the_icp(part, icp_kind):
    facts = ledgerly_facts()
    icp = _icps(facts)[icp_kind]
    sources = json.dumps(facts.as_dict()) + json.dumps(icp.as_dict())

    result, _ = _write(part, facts, icp)

    numbers = {n for text in _texts(result) for n in re.findall(r"\d+(?:[.,]\d+)*", text)}
    assert {n for n in numbers if n not in sources} == set()


@pytest.mark.parametrize("part", PARTS)
def test_every_name_it_writes_comes_from_the_facts_or_the_icp(part):
    facts = ledgerly_facts()
    icp = icp_infer(facts)
    sources = json.dumps(facts.as_dict(), ensure_ascii=False) + json.dumps(icp.as_dict(), ensure_ascii=False)

    result, _ = _write(part, facts, icp)

    # Capitalised words inside a sentence are names (customers, products, people, places).
    names = set()
    for text in _texts(result):
        text = re.sub(r"\{\{\w+\}\}", "", text)
        for sentence in re.split(r"(?<=[.!?:;])\s+|\n+|[“”(]", text):
            names.update(w.strip(".,;:!?'’") for w in sentence.split()[1:] if w[:1].isupper())
    invented = {n for n in names if n and n not in sources and n not in WRITER_VOCABULARY}
    assert invented == set()


def test_it_names_only_customers_the_site_names():
    facts = ledgerly_facts()

    result, _ = _write("positioning", facts, icp_infer(facts))

    lookalikes = next(i for i in result["best_fit_customers"] if i["text"].startswith("Companies like"))
    assert lookalikes["text"] == "Companies like Northwind, Globex and Initech, which the site names as customers."


def test_a_site_without_customers_gets_no_customer_claims():
    facts = plainpage_facts()

    positioning, _ = _write("positioning", facts, icp_from_input(PROVIDED_ICP))
    emails, _ = _write("email_pack", facts, icp_from_input(PROVIDED_ICP))

    text = " ".join(_texts(positioning)) + " ".join(_texts(emails))
    assert "customers" not in text.lower().replace("add a customer quote", "")
    assert positioning["value_and_proof"][0]["proof"].startswith("No proof published on the site yet")


@pytest.mark.parametrize("icp_kind", ["inferred", "provided"])
def test_every_section_lists_evidence_from_pages_that_were_read(icp_kind):
    facts = ledgerly_facts()
    urls = _known_urls(facts)
    positioning, _ = _write("positioning", facts, _icps(facts)[icp_kind])
    emails, _ = _write("email_pack", facts, _icps(facts)[icp_kind])
    enrichment, _ = _write("enrichment", facts, _icps(facts)[icp_kind])

    items = [positioning["market_category"], positioning["elevator_pitch"], *emails["emails"], enrichment]
    for key in ("competitive_alternatives", "unique_attributes", "value_and_proof", "best_fit_customers",
                "relevant_trends", "messaging_pillars"):
        items += positioning[key]
    for item in items:
        assert item["evidence"], item
        assert {e["url"] for e in item["evidence"]} <= urls


def test_thin_facts_give_fewer_items_not_invented_ones():
    rich, _ = _write("positioning", ledgerly_facts(), icp_infer(ledgerly_facts()))
    thin_facts = plainpage_facts()
    thin, _ = _write("positioning", thin_facts, icp_infer(thin_facts))
    thin_emails, _ = _write("email_pack", thin_facts, icp_infer(thin_facts))

    for key in ("unique_attributes", "value_and_proof", "best_fit_customers", "relevant_trends"):
        assert len(thin[key]) < len(rich[key]), key
    assert thin["relevant_trends"] == []
    assert thin["market_category"]["text"].startswith("Not named on the site.")
    assert len(thin_emails["emails"]) == 4  # no proof email, no pricing email


def test_the_positioning_canvas_reads_like_the_site():
    facts = ledgerly_facts()

    result, _ = _write("positioning", facts, icp_infer(facts))

    assert result["market_category"]["text"] == "Finance automation platform: the category Ledgerly names for itself."
    assert result["value_and_proof"][0] == {
        "value": "Close your books in days, not weeks.",
        "proof": "“Ledgerly cut our month-end close from 12 days to 4.” — Dana Ruiz, VP Finance at Northwind",
        "evidence": [
            {"url": "https://ledgerly.example/", "snippet": "Close your books in days, not weeks"},
            {"url": "https://ledgerly.example/customers",
             "snippet": "“Ledgerly cut our month-end close from 12 days to 4.” — Dana Ruiz, VP Finance at Northwind"},
        ],
    }
    assert "Connects to QuickBooks, Xero, Stripe and HubSpot." in [i["text"] for i in result["unique_attributes"]]
    assert result["elevator_pitch"]["text"].startswith(
        "For VP Finance at B2B SaaS companies dealing with chasing invoices, Ledgerly is a finance automation platform"
    )


def test_the_streamed_text_is_a_readable_draft_of_the_part():
    facts = ledgerly_facts()

    result, deltas = _write("positioning", facts, icp_infer(facts))

    draft = "".join(deltas)
    headings = re.findall(r"^## (.+)$", draft, re.M)
    assert headings == ["Competitive alternatives", "Unique attributes", "Value and proof", "Best-fit customers",
                        "Market category", "Relevant trends", "Messaging pillars", "Elevator pitch"]
    assert result["elevator_pitch"]["text"] in draft.replace("\n", " ").replace("- ", "")
    assert len(deltas) > 20  # sentence-sized chunks, not one block at the end


def test_the_email_pack_is_a_sequence_with_one_ask_each_and_a_clean_lint():
    facts = ledgerly_facts()

    result, deltas = _write("email_pack", facts, icp_infer(facts))

    emails = result["emails"]
    assert [e["day_offset"] for e in emails] == [0, 3, 7, 12, 18, 25]
    assert [e["position"] for e in emails] == [1, 2, 3, 4, 5, 6]
    assert result["tokens"] == ["company", "first_name", "role", "sender_name"]
    for email in emails:
        assert email["body"].startswith("Hi {{first_name}},")
        assert email["call_to_action"] in email["body"]
        assert email["lint"]["warnings"] == [], email["subject"]
        assert 1 <= len(email["subject_variants"]) <= 3
    assert "Starter at $49/mo per seat" in emails[4]["body"]
    assert "## Email 1 (day 0)" in "".join(deltas)


def test_the_enrichment_blueprint_turns_the_icp_and_the_stack_into_rules():
    facts = ledgerly_facts()

    result, _ = _write("enrichment", facts, icp_from_input(PROVIDED_ICP))

    rules = {(r["field"], r["operator"]): r["value"] for r in result["qualification_rules"]}
    assert rules[("industry", "in")] == ["Fintech", "B2B SaaS"]
    assert rules[("employee_count", "gte")] == 50
    assert rules[("employee_count", "lte")] == 200
    assert rules[("country", "in")] == ["United States"]
    assert rules[("technologies", "in")] == ["QuickBooks", "Xero", "Stripe", "HubSpot"]
    assert rules[("technologies.hubspot", "exists")] is True
    points = {p["name"]: p for p in result["data_points"]}
    assert points["Uses QuickBooks"]["category"] == "technographic"
    assert points["Uses QuickBooks"]["priority"] == "high"
    assert points["Employee count"]["category"] == "firmographic"
    assert points["Contact first name and role"]["category"] == "personalization"
    assert all(p["why"] and p["sources"] and p["collection_method"] for p in result["data_points"])
    assert result["live_enrichment"] == {"domain": "ledgerly.example", "sources": []}


@pytest.mark.parametrize("part", ["positioning", "email_pack"])
def test_it_fails_the_part_when_the_site_says_nothing_to_write_from(part):
    facts = SiteFacts(url="https://empty.example/", domain="empty.example", name=Fact("Empty"))

    with pytest.raises(PartFailed, match="Too little"):
        _write(part, facts, icp_from_input({"roles": ["CFO"]}))


def test_it_fails_an_enrichment_blueprint_with_nothing_to_qualify_on():
    facts = plainpage_facts()

    with pytest.raises(PartFailed, match="no ICP fields, integrations or technologies"):
        _write("enrichment", facts, icp_infer(facts))


def test_it_refuses_unknown_parts():
    with pytest.raises(PartFailed, match="does not write 'haiku'"):
        _write("haiku", ledgerly_facts(), icp_infer(ledgerly_facts()))


def test_names_keep_their_capitals_when_a_sentence_is_folded_into_another():
    facts = ledgerly_facts()
    facts.value_propositions = [
        Fact("Ledgerly joins your bank feeds and ledger into one close", (Evidence(HOME, "Ledgerly joins your bank feeds"),))
    ]
    icp = icp_from_input({"industries": ["B2B SaaS"], "roles": ["CFO"]})

    result = TemplateWriter().write("positioning", facts=facts, icp=icp, emit_delta=lambda _: None)

    written = " ".join(_texts(result))
    assert "ledgerly joins" not in written
    assert "helps you Ledgerly" not in written and "helps you ledgerly" not in written
    assert "Ledgerly joins your bank feeds and ledger into one close" in result["elevator_pitch"]["text"]
