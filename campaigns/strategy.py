"""What makes a strategy complete: one rule per field, each naming what it blocks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldRule:
    field: str
    label: str
    weight: int
    blocks: tuple[str, ...]
    minimum: int  # list items or characters for the field to count as strong
    hint: str


FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("target_audience", "Target audience", 20, ("leads", "content"), 40,
              "Describe who buys: role, company type and size, and the pain they feel."),
    FieldRule("goals", "Goals", 15, ("advisor", "learn"), 1,
              "Name at least one measurable goal, e.g. “20 qualified meetings in Q1”."),
    FieldRule("platforms", "Platforms", 15, ("schedule", "content"), 1,
              "Pick the channels the campaign runs on (email, LinkedIn, …)."),
    FieldRule("content_pillars", "Content pillars", 15, ("content",), 2,
              "Give two to five themes every piece of content supports."),
    FieldRule("brand_tone", "Brand tone", 10, ("content",), 10,
              "Say how the brand sounds, e.g. “plain-spoken, expert, no hype”."),
    FieldRule("cadence", "Cadence", 10, ("schedule",), 3,
              "Say how often to publish or send, e.g. “3 posts a week, 1 email a week”."),
    FieldRule("ads_config", "Ads configuration", 10, ("ads",), 1,
              "Set budget, objective and audience for paid ads (or drop the ads scope)."),
    FieldRule("constraints", "Constraints", 5, (), 10,
              "Note what must not be said or done (legal, brand, regions)."),
)


def _size(value) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return len(value.strip())
    if isinstance(value, dict):
        return len([v for v in value.values() if v not in (None, "", [], {})])
    return len(value)


def completeness(strategy) -> dict:
    """`{score, missing: [...], weak: [...], blocks: {area: [fields]}}` for one version."""
    missing, weak, blocks, earned = [], [], {}, 0
    for rule in FIELD_RULES:
        size = _size(getattr(strategy, rule.field))
        entry = {"field": rule.field, "label": rule.label, "hint": rule.hint, "blocks": list(rule.blocks)}
        if size == 0:
            missing.append(entry)
        elif size < rule.minimum:
            weak.append(entry)
            earned += rule.weight // 2
        else:
            earned += rule.weight
            continue
        for area in rule.blocks:
            blocks.setdefault(area, []).append(rule.field)
    total = sum(rule.weight for rule in FIELD_RULES)
    return {"score": round(100 * earned / total), "missing": missing, "weak": weak, "blocks": blocks}
