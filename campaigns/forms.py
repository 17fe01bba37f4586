import json

from django import forms

from campaigns.models import AdvisorResponse, Campaign


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "target_niche", "service", "description", "target_clients", "target_mrr"]
        labels = {
            "target_niche": "Target niche",
            "target_clients": "Target clients",
            "target_mrr": "Target MRR",
        }
        help_texts = {
            "target_niche": "Who the campaign is for, e.g. “Fintech, 200–1,000 employees”.",
            "target_mrr": "Monthly recurring revenue the campaign aims to add.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "e.g. Q3 CFO outreach", "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_clients": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "target_mrr": forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
        }


class LinesField(forms.Field):
    """A list of short texts typed one item per line; blank lines are ignored."""

    widget = forms.Textarea

    def __init__(self, *, max_items: int, max_length: int, **kwargs):
        self.max_items, self.max_length = max_items, max_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["rows"] = 4

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        errors = []
        if len(value) > self.max_items:
            errors.append(f"At most {self.max_items} lines; this has {len(value)}.")
        for number, item in enumerate(value, start=1):
            if len(item) > self.max_length:
                errors.append(f"Line {number} has {len(item)} characters; the limit is {self.max_length}.")
        if errors:
            raise forms.ValidationError(errors)


class AdsConfigField(forms.Field):
    """Ads settings typed as `name: value` lines (or a JSON object), stored as a flat dict.

    Mirrors the API's limits: at most 30 settings, names of at most 60 characters, values
    that are numbers, true/false or text of at most 500 characters.
    """

    widget = forms.Textarea
    MAX_KEYS = 30

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["rows"] = 4

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{key}: {self._show(item)}" for key, item in value.items())
        return value

    @staticmethod
    def _show(item) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        return "" if item is None else str(item)

    def to_python(self, value) -> dict:
        text = (value or "").strip()
        if not text:
            return {}
        if text[0] in "{[":
            try:
                parsed = json.loads(text)
            except ValueError as error:
                raise forms.ValidationError(f"This is not valid JSON: {error.msg} (line {error.lineno}).") from error
            if not isinstance(parsed, dict):
                raise forms.ValidationError("Give a JSON object, e.g. {\"budget\": 5000}.")
            return parsed
        settings = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            key, colon, item = line.partition(":")
            if not colon or not key.strip():
                raise forms.ValidationError(f"Line {number} needs the form “name: value”.")
            settings[key.strip()] = self._parse(item.strip())
        return settings

    @staticmethod
    def _parse(item: str):
        if item.lower() in ("true", "false"):
            return item.lower() == "true"
        for kind in (int, float):
            try:
                return kind(item)
            except ValueError:
                pass
        return item

    def validate(self, value):
        super().validate(value)
        if len(value) > self.MAX_KEYS:
            raise forms.ValidationError(f"At most {self.MAX_KEYS} settings; this has {len(value)}.")
        for key, item in value.items():
            if len(str(key)) > 60:
                raise forms.ValidationError(f"The name “{str(key)[:20]}…” is longer than 60 characters.")
            if isinstance(item, dict | list) or (isinstance(item, str) and len(item) > 500):
                raise forms.ValidationError(
                    f"“{key}” must be a number, true/false or text of at most 500 characters."
                )


class StrategyForm(forms.Form):
    """One strategy version. Limits match the API (campaigns/api/strategies.py)."""

    target_audience = forms.CharField(
        label="Target audience", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who buys: role, company type and size, and the pain they feel.",
    )
    goals = LinesField(label="Goals", max_items=20, max_length=300,
                       help_text="One measurable goal per line, e.g. “20 qualified meetings in Q1”.")
    platforms = LinesField(label="Platforms", max_items=20, max_length=60,
                           help_text="One channel per line: email, LinkedIn, webinars…")
    content_pillars = LinesField(label="Content pillars", max_items=12, max_length=200,
                                 help_text="One theme per line; two to five work best.")
    brand_tone = forms.CharField(label="Brand tone", required=False, max_length=300,
                                 help_text="How the brand sounds, e.g. “plain-spoken, expert, no hype”.")
    cadence = forms.CharField(label="Cadence", required=False, max_length=200,
                              help_text="How often to publish or send, e.g. “3 posts a week, 1 email a week”.")
    constraints = forms.CharField(
        label="Constraints", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What must not be said or done (legal, brand, regions).",
    )
    ads_config = AdsConfigField(
        label="Ads configuration",
        help_text="One setting per line as “name: value”, e.g. “budget: 5000”, “objective: leads”. "
                  "A JSON object works too.",
    )

    @classmethod
    def initial_from(cls, strategy) -> dict:
        if strategy is None:
            return {}
        return {name: getattr(strategy, name) for name in cls.base_fields}


class InvalidateForm(forms.Form):
    reason = forms.CharField(max_length=500, error_messages={"required": "Say why this version is invalid."})


class AdvisorResponseForm(forms.Form):
    key = forms.CharField(max_length=120)
    response = forms.ChoiceField(choices=AdvisorResponse.Kind.choices)
