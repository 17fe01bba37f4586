"""Side-by-side comparison of two strategy versions, field by field."""

from dataclasses import dataclass, field

from campaigns.models import Strategy
from campaigns.strategy import FIELD_RULES

LABELS = {rule.field: rule.label for rule in FIELD_RULES}
LIST_FIELDS = ("platforms", "goals", "content_pillars")


@dataclass
class FieldDiff:
    field: str
    label: str
    old: object
    new: object
    changed: bool
    is_list: bool = False
    added: list = field(default_factory=list)  # list and ads fields: items only in the newer side
    removed: list = field(default_factory=list)  # ... and items only in the older side


def _lines(value) -> list[str]:
    """Lists as they are; the ads settings as `name: value` lines so they compare the same way."""
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, item in value.items()]
    return [str(item) for item in value or []]


def strategy_diff(old: Strategy, new: Strategy) -> list[FieldDiff]:
    diffs = []
    for name in Strategy.CONTENT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        entry = FieldDiff(field=name, label=LABELS.get(name, name), old=before, new=after, changed=before != after)
        if name in LIST_FIELDS or name == "ads_config":
            old_lines, new_lines = _lines(before), _lines(after)
            entry.is_list, entry.old, entry.new = True, old_lines, new_lines
            entry.added = [line for line in new_lines if line not in old_lines]
            entry.removed = [line for line in old_lines if line not in new_lines]
        diffs.append(entry)
    return diffs
