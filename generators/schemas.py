"""The shapes of what generation produces and accepts, as DRF serializers.

One definition serves four readers: the template writer and the LLM writer validate their
output here (`validate_part`), the API documents and returns it, the page renders it, and the
LLM writer sends `part_json_schema` to the model so the prompt and the validator cannot
drift apart. Every serializer is strict: a field the contract does not name is an error, so
a model that improvises extra keys gets a repair request instead of silently growing the shape.
"""

import itertools
import re
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from core.api.serializers import StrictSerializer

# Personalisation tokens a sequence sender knows how to fill in. Anything else in `{{...}}`
# would be sent to a prospect verbatim, so the schema rejects it.
KNOWN_TOKENS = ("first_name", "last_name", "company", "role", "sender_name")
TOKEN_PATTERN = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, trim_whitespace=True, **kwargs)


class EvidenceSerializer(StrictSerializer):
    url = serializers.URLField(max_length=2000)
    snippet = _text(600)


def _evidence(*, min_length: int = 1, max_length: int = 12) -> serializers.ListSerializer:
    return EvidenceSerializer(many=True, min_length=min_length, max_length=max_length)


class SectionItemSerializer(StrictSerializer):
    text = _text(1200)
    evidence = _evidence()


class ValueAndProofSerializer(StrictSerializer):
    value = _text(600)
    proof = _text(800)
    evidence = _evidence()


class MessagingPillarSerializer(StrictSerializer):
    title = _text(120)
    message = _text(1200)
    evidence = _evidence()


class PositioningSerializer(StrictSerializer):
    # Lists may be short or empty: thin facts produce fewer items, never padded ones.
    competitive_alternatives = SectionItemSerializer(many=True, max_length=8)
    unique_attributes = SectionItemSerializer(many=True, max_length=10)
    value_and_proof = ValueAndProofSerializer(many=True, max_length=8)
    best_fit_customers = SectionItemSerializer(many=True, max_length=8)
    market_category = SectionItemSerializer()
    relevant_trends = SectionItemSerializer(many=True, max_length=6)
    messaging_pillars = MessagingPillarSerializer(many=True, max_length=5)
    elevator_pitch = SectionItemSerializer()


class EmailLintSerializer(StrictSerializer):
    spam_triggers = serializers.ListField(child=_text(120), max_length=50)
    word_count = serializers.IntegerField(min_value=0)
    subject_length = serializers.IntegerField(min_value=0)
    warnings = serializers.ListField(child=_text(300), max_length=50)


class EmailSerializer(StrictSerializer):
    position = serializers.IntegerField(min_value=1, max_value=6)
    day_offset = serializers.IntegerField(min_value=0, max_value=90)
    subject = _text(150)
    subject_variants = serializers.ListField(child=_text(150), min_length=1, max_length=3)
    preview_text = _text(200)
    body = _text(4000)
    call_to_action = _text(300)
    evidence = _evidence()
    lint = EmailLintSerializer()


class EmailPackSerializer(StrictSerializer):
    sequence_name = _text(150)
    emails = EmailSerializer(many=True, min_length=4, max_length=6)
    tokens = serializers.ListField(child=_text(40), max_length=len(KNOWN_TOKENS))

    def validate(self, attrs):
        errors: dict[str, list[str]] = {}
        emails = attrs["emails"]
        for index, email in enumerate(emails):
            if email["position"] != index + 1:
                errors.setdefault("emails", []).append(
                    f"Email {index + 1} has position {email['position']}: positions run 1, 2, 3, … in order."
                )
        if emails and emails[0]["day_offset"] != 0:
            errors.setdefault("emails", []).append("The first email is sent on day 0.")
        offsets = [email["day_offset"] for email in emails]
        if any(later <= earlier for earlier, later in itertools.pairwise(offsets)):
            errors.setdefault("emails", []).append(f"Day offsets must increase, got {offsets}.")

        used = tokens_used(emails)
        unknown = sorted(set(used) - set(KNOWN_TOKENS))
        if unknown:
            errors["tokens"] = [
                f"Unknown token(s) {', '.join('{{' + t + '}}' for t in unknown)}; "
                f"known tokens are {', '.join(KNOWN_TOKENS)}."
            ]
        elif sorted(attrs["tokens"]) != sorted(used):
            errors["tokens"] = [f"List exactly the tokens the emails use: {used}."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def tokens_used(emails: list[dict]) -> list[str]:
    """Every `{{token}}` in the emails' subjects, variants, previews and bodies, first use first."""
    found: dict[str, None] = {}
    for email in emails:
        texts = [email.get("subject", ""), *email.get("subject_variants", []), email.get("preview_text", ""),
                 email.get("body", "")]
        for text in texts:
            for match in TOKEN_PATTERN.finditer(text or ""):
                found.setdefault(match.group(1), None)
    return list(found)


DATA_POINT_CATEGORIES = ("firmographic", "technographic", "personalization")
PRIORITIES = ("high", "medium", "low")
RULE_OPERATORS = ("eq", "in", "gte", "lte", "contains", "exists")
ENRICHMENT_SOURCES = ("apollo", "clearbit")
ENRICHMENT_STATUSES = ("ok", "not_found", "error", "not_configured")


class DataPointSerializer(StrictSerializer):
    name = _text(120)
    category = serializers.ChoiceField(choices=DATA_POINT_CATEGORIES)
    why = _text(600)
    priority = serializers.ChoiceField(choices=PRIORITIES)
    sources = serializers.ListField(child=_text(160), min_length=1, max_length=8)
    collection_method = _text(400)


class QualificationRuleSerializer(StrictSerializer):
    rule = _text(300)
    field = _text(80)
    operator = serializers.ChoiceField(choices=RULE_OPERATORS)
    value = serializers.JSONField()
    reason = _text(600)

    def validate(self, attrs):
        operator, value = attrs["operator"], attrs["value"]
        if operator == "in" and not (isinstance(value, list) and value):
            raise serializers.ValidationError({"value": ['"in" needs a non-empty list of values.']})
        if operator in ("gte", "lte") and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise serializers.ValidationError({"value": [f'"{operator}" needs a number.']})
        if operator == "exists" and not isinstance(value, bool):
            raise serializers.ValidationError({"value": ['"exists" needs true or false.']})
        return attrs


class LiveEnrichmentSourceSerializer(StrictSerializer):
    source = serializers.ChoiceField(choices=ENRICHMENT_SOURCES)
    status = serializers.ChoiceField(choices=ENRICHMENT_STATUSES)
    data = serializers.JSONField(allow_null=True)
    error = serializers.CharField(max_length=600, allow_null=True, allow_blank=True)


class LiveEnrichmentSerializer(StrictSerializer):
    domain = _text(255)
    sources = LiveEnrichmentSourceSerializer(many=True, max_length=len(ENRICHMENT_SOURCES))


class EnrichmentSerializer(StrictSerializer):
    data_points = DataPointSerializer(many=True, min_length=1, max_length=40)
    qualification_rules = QualificationRuleSerializer(many=True, max_length=30)
    live_enrichment = LiveEnrichmentSerializer()
    evidence = _evidence(max_length=40)


PART_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "positioning": PositioningSerializer,
    "email_pack": EmailPackSerializer,
    "enrichment": EnrichmentSerializer,
}


# --- ICP as a person provides it -------------------------------------------------------------

ICP_MAX_ITEMS = 12
ICP_ITEM_MAX_LENGTH = 120
_SIZE_WORDS = re.compile(r"\d|solo|freelanc|startup|small|smb|mid[- ]?market|medium|large|enterprise", re.I)


def _icp_list(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=ICP_ITEM_MAX_LENGTH, trim_whitespace=True),
        max_length=ICP_MAX_ITEMS, required=False, default=list, help_text=help_text,
    )


class ICPInputSerializer(StrictSerializer):
    """An ICP a person typed in. Each field is a list of short phrases; duplicates (ignoring
    case) and blank entries are dropped. Industries or roles are required: without either
    there is nobody to write to."""

    industries = _icp_list('e.g. ["Fintech", "B2B SaaS"]')
    company_sizes = _icp_list('ranges or bands, e.g. ["50-200 employees", "Enterprise"]')
    regions = _icp_list('e.g. ["United States", "DACH"]')
    roles = _icp_list('titles or teams, e.g. ["CFO", "Finance teams"]')
    pains = _icp_list('e.g. ["Month-end close takes two weeks"]')
    buying_triggers = _icp_list('e.g. ["Raised a Series A", "Hiring a controller"]')
    exclusions = _icp_list('e.g. ["Agencies", "Companies under 10 employees"]')

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = {key: _drop_blank_strings(value) for key, value in data.items()}
        return super().to_internal_value(data)

    def validate_company_sizes(self, values: list[str]) -> list[str]:
        vague = [value for value in values if not _SIZE_WORDS.search(value)]
        if vague:
            raise serializers.ValidationError(
                f"{vague[0]!r} is not a company size: use a range like \"50-200 employees\", "
                "\"1000+ employees\" or a band (startup, SMB, mid-market, enterprise)."
            )
        return values

    def validate(self, attrs):
        attrs = {name: _dedupe(values) for name, values in attrs.items()}
        if not attrs.get("industries") and not attrs.get("roles"):
            raise serializers.ValidationError(
                {"industries": ["Give at least one industry or one role: the ICP needs to say who to reach."]}
            )
        return attrs


def _drop_blank_strings(value):
    if isinstance(value, list):
        return [item for item in value if not (isinstance(item, str) and not item.strip())]
    return value


def _dedupe(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


# --- Validation with field paths -------------------------------------------------------------


def validate_part(part: str, data: Any) -> dict:
    """Validate one part's output; return it as plain JSON-ready data.

    Raises a ValidationError whose detail maps field paths (`emails[2].subject`) to messages,
    so a log line, an API error or a repair prompt can say exactly what is wrong.
    """
    try:
        serializer_class = PART_SERIALIZERS[part]
    except KeyError:
        raise serializers.ValidationError({"part": [f"Unknown part {part!r}; expected one of {list(PART_SERIALIZERS)}."]}) from None
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise serializers.ValidationError(error_paths(serializer.errors))
    return _plain(serializer.validated_data)


def error_paths(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested errors into {"emails[2].subject": ["This field is required."]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int):  # a list's errors keyed by position (DRF's ListSerializer)
                _merge(flat, error_paths(value, f"{prefix}[{key}]"))
                continue
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            _merge(flat, error_paths(value, path))
    elif isinstance(errors, list):
        if all(isinstance(item, str | ErrorDetail) for item in errors):
            if errors:
                flat[prefix or "(root)"] = [str(item) for item in errors]
        else:
            for index, item in enumerate(errors):
                if item:
                    _merge(flat, error_paths(item, f"{prefix}[{index}]"))
    elif errors:
        flat[prefix or "(root)"] = [str(errors)]
    return flat


def _merge(target: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for key, messages in more.items():
        target.setdefault(key, []).extend(messages)


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# --- JSON Schema for the model's prompt -------------------------------------------------------


def part_json_schema(part: str, *, omit: tuple[str, ...] = ()) -> dict:
    """The JSON Schema of one part, derived from its serializer (so it cannot drift).

    `omit` drops fields the caller fills in itself, as dotted paths (`emails.lint`).
    """
    schema = _field_schema(PART_SERIALIZERS[part]())
    for path in omit:
        node = schema
        *parents, leaf = path.split(".")
        for name in parents:
            node = node["properties"][name]
            node = node.get("items", node)
        node["properties"].pop(leaf, None)
        node["required"] = [name for name in node.get("required", []) if name != leaf]
    return schema


def _field_schema(field) -> dict:
    if isinstance(field, serializers.ListSerializer):
        return _array(_field_schema(field.child), field.min_length, field.max_length)
    if isinstance(field, serializers.Serializer):
        return {
            "type": "object",
            "properties": {name: _field_schema(child) for name, child in field.fields.items()},
            "required": [name for name, child in field.fields.items() if child.required],
            "additionalProperties": False,
        }
    if isinstance(field, serializers.ListField):
        return _array(_field_schema(field.child), field.min_length, field.max_length)
    if isinstance(field, serializers.ChoiceField):
        return {"enum": list(field.choices)}
    if isinstance(field, serializers.IntegerField):
        schema: dict = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, serializers.CharField):
        schema = {"type": ["string", "null"] if field.allow_null else "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
        if isinstance(field, serializers.URLField):
            schema["format"] = "uri"
        return schema
    return {}  # JSONField: any JSON value


def _array(items: dict, min_length: int | None, max_length: int | None) -> dict:
    schema: dict = {"type": "array", "items": items}
    if min_length:
        schema["minItems"] = min_length
    if max_length:
        schema["maxItems"] = max_length
    return schema
