import json

from django import template

register = template.Library()


@register.filter
def safe_url(url) -> str:
    """Evidence URLs come from fetched pages: only http(s) links are rendered as links."""
    url = str(url or "")
    return url if url.startswith(("http://", "https://")) else ""


@register.filter
def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


@register.filter
def scalar_pairs(data, limit: int = 6) -> list[tuple[str, str]]:
    """A provider's record as a few readable `key: value` pairs (nested values left out)."""
    if not isinstance(data, dict):
        return []
    pairs = [(str(k).replace("_", " "), str(v)) for k, v in data.items()
             if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip()]
    return pairs[: int(limit)]


@register.filter
def words(value) -> str:
    """`not_configured` → `not configured`."""
    return str(value or "").replace("_", " ")
