"""The output shapes: what validates, and errors that name the exact field."""

import copy

import pytest
from rest_framework.exceptions import ValidationError

from generators.schemas import ICPInputSerializer, part_json_schema, validate_part

EVIDENCE = [{"url": "https://ledgerly.example/", "snippet": "Close your books in days"}]
LINT = {"spam_triggers": [], "word_count": 60, "subject_length": 20, "warnings": []}


def _email(position: int, day: int) -> dict:
    return {
        "position": position, "day_offset": day, "subject": f"Note {position} for {{{{company}}}}",
        "subject_variants": ["A variant"], "preview_text": "A preview",
        "body": "Hi {{first_name}},\n\nA body.\n\nWorth a call?", "call_to_action": "Worth a call?",
        "evidence": EVIDENCE, "lint": LINT,
    }


def _pack(count: int = 4) -> dict:
    return {"sequence_name": "Ledgerly outreach", "emails": [_email(n + 1, n * 3) for n in range(count)],
            "tokens": ["company", "first_name"]}


def _errors(part: str, data) -> dict:
    with pytest.raises(ValidationError) as error:
        validate_part(part, data)
    return {path: [str(m) for m in messages] for path, messages in error.value.detail.items()}


def test_a_valid_email_pack_comes_back_as_plain_data():
    assert validate_part("email_pack", _pack()) == _pack()


@pytest.mark.parametrize("count", [3, 7])
def test_an_email_pack_has_four_to_six_emails(count):
    assert "emails" in _errors("email_pack", _pack(count))


def test_errors_name_the_field_path():
    pack = _pack()
    del pack["emails"][1]["subject"]
    pack["emails"][2]["evidence"] = [{"url": "not a url", "snippet": "x"}]
    pack["emails"][3]["surprise"] = True

    errors = _errors("email_pack", pack)

    assert errors == {
        "emails[1].subject": ["This field is required."],
        "emails[2].evidence[0].url": ["Enter a valid URL."],
        "emails[3].surprise": ["Unknown field."],
    }


def test_the_sequence_must_start_on_day_zero_and_move_forward():
    pack = _pack()
    pack["emails"][0]["day_offset"] = 1
    pack["emails"][2]["day_offset"] = 2

    (messages,) = _errors("email_pack", pack).values()

    assert "The first email is sent on day 0." in messages
    assert "Day offsets must increase, got [1, 3, 2, 9]." in messages


def test_tokens_must_be_known_and_listed():
    unknown = _pack()
    unknown["emails"][0]["body"] += " {{favourite_colour}}"
    unlisted = _pack()
    unlisted["tokens"] = ["company"]

    assert "Unknown token(s) {{favourite_colour}}" in _errors("email_pack", unknown)["tokens"][0]
    assert _errors("email_pack", unlisted)["tokens"] == ["List exactly the tokens the emails use: ['company', 'first_name']."]


def test_positioning_sections_must_cite_evidence():
    item = {"text": "Finance automation platform", "evidence": EVIDENCE}
    positioning = {
        "competitive_alternatives": [], "unique_attributes": [item], "value_and_proof": [],
        "best_fit_customers": [], "market_category": item, "relevant_trends": [], "messaging_pillars": [],
        "elevator_pitch": {"text": "For finance teams…", "evidence": []},
    }

    assert _errors("positioning", positioning) == {"elevator_pitch.evidence": ["Ensure this field has at least 1 elements."]}


def _enrichment(rule: dict) -> dict:
    return {
        "data_points": [{"name": "Industry", "category": "firmographic", "why": "ICP", "priority": "high",
                         "sources": ["Apollo"], "collection_method": "By domain"}],
        "qualification_rules": [{"rule": "r", "field": "employee_count", "reason": "ICP", **rule}],
        "live_enrichment": {"domain": "ledgerly.example", "sources": [
            {"source": "apollo", "status": "not_configured", "data": None, "error": None}]},
        "evidence": EVIDENCE,
    }


@pytest.mark.parametrize(("rule", "message"), [
    ({"operator": "gte", "value": "fifty"}, '"gte" needs a number.'),
    ({"operator": "in", "value": []}, '"in" needs a non-empty list of values.'),
    ({"operator": "exists", "value": "yes"}, '"exists" needs true or false.'),
    ({"operator": "between", "value": 1}, '"between" is not a valid choice.'),
])
def test_qualification_rules_check_the_value_against_the_operator(rule, message):
    assert message in " ".join(next(iter(_errors("enrichment", _enrichment(rule)).values())))


def test_a_valid_rule_keeps_its_json_value():
    result = validate_part("enrichment", _enrichment({"operator": "in", "value": ["Fintech", "SaaS"]}))

    assert result["qualification_rules"][0]["value"] == ["Fintech", "SaaS"]


def test_unknown_parts_are_an_error():
    assert _errors("haiku", {}) == {"part": ["Unknown part 'haiku'; expected one of ['positioning', 'email_pack', 'enrichment']."]}


def test_the_json_schema_follows_the_serializers_and_can_leave_out_computed_fields():
    schema = part_json_schema("email_pack", omit=("emails.lint", "tokens"))

    email = schema["properties"]["emails"]["items"]
    assert schema["required"] == ["sequence_name", "emails"]
    assert schema["properties"]["emails"]["minItems"] == 4 and schema["properties"]["emails"]["maxItems"] == 6
    assert "lint" not in email["properties"] and "lint" not in email["required"]
    assert email["additionalProperties"] is False
    enrichment = part_json_schema("enrichment")
    rule = enrichment["properties"]["qualification_rules"]["items"]["properties"]
    assert rule["operator"] == {"enum": ["eq", "in", "gte", "lte", "contains", "exists"]}
    assert rule["value"] == {}
    assert part_json_schema("email_pack")["properties"]["emails"]["items"]["required"][-1] == "lint"
    assert copy.deepcopy(schema) == part_json_schema("email_pack", omit=("emails.lint", "tokens"))


def test_the_icp_input_accepts_short_phrase_lists():
    serializer = ICPInputSerializer(data={"roles": ["CFO"], "company_sizes": ["1000+ employees", "Mid-market"]})

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["industries"] == []
