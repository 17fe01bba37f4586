import re

from django import forms
from rest_framework import serializers

from campaigns.models import Campaign
from core import outbound
from generators.models import Generation
from generators.schemas import ICPInputSerializer, error_paths
from generators.services import normalise_website
from generators.types import ICP_FIELDS

ICP_LABELS = {
    "industries": ("Industries", "e.g. Fintech"),
    "company_sizes": ("Company sizes", "e.g. 50-200 employees"),
    "regions": ("Regions", "e.g. United States"),
    "roles": ("Roles", "e.g. Head of Finance"),
    "pains": ("Pains", "e.g. Month-end close takes two weeks"),
    "buying_triggers": ("Buying triggers", "e.g. Raised a Series A"),
    "exclusions": ("Exclusions", "e.g. Agencies"),
}

KIND_CHOICES = [
    (Generation.Kind.COMPLETE, "Complete package (all three)"),
    (Generation.Kind.POSITIONING, "Positioning canvas"),
    (Generation.Kind.EMAIL_PACK, "Email pack"),
    (Generation.Kind.ENRICHMENT, "Enrichment blueprint"),
]


class GenerateForm(forms.Form):
    website = forms.CharField(
        max_length=500, label="Company website",
        widget=forms.TextInput(attrs={"placeholder": "https://example.com", "inputmode": "url",
                                      "autocomplete": "url", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial=Generation.Kind.COMPLETE, label="What to generate")
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), required=False, label="For campaign",
                                      empty_label="No campaign")
    refresh = forms.BooleanField(required=False, label="Ignore cached results and read the site again")

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.for_workspace(workspace).filter(active=True)
        for name in ICP_FIELDS:
            label, example = ICP_LABELS[name]
            self.fields[name] = forms.CharField(
                required=False, label=label, help_text="One per line.",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": example}),
            )

    @property
    def icp_fields(self):
        return [self[name] for name in ICP_FIELDS]

    def clean_website(self) -> str:
        try:
            url = normalise_website(self.cleaned_data["website"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        try:
            outbound.check_url(url)  # say so now, not after a run that can only fail
        except outbound.OutboundRefused as exc:
            raise forms.ValidationError(f"Launchdeck cannot read this address: {exc}.") from exc
        return url

    def clean(self):
        cleaned = super().clean()
        lines = {name: [line.strip() for line in (cleaned.get(name) or "").splitlines() if line.strip()]
                 for name in ICP_FIELDS}
        cleaned["icp"] = None
        if any(lines.values()):
            serializer = ICPInputSerializer(data=lines)
            try:
                serializer.is_valid(raise_exception=True)
            except serializers.ValidationError as exc:
                for path, messages in error_paths(exc.detail).items():
                    name = re.split(r"[.\[]", path, maxsplit=1)[0]
                    for message in messages:
                        self.add_error(name if name in ICP_FIELDS else None, message)
            else:
                cleaned["icp"] = serializer.validated_data
        return cleaned

    @classmethod
    def initial_from(cls, generation: Generation) -> dict:
        """Prefill the form with what a past generation was asked."""
        icp = generation.icp_input or {}
        return {"website": generation.website, "kind": generation.kind, "campaign": generation.campaign_id,
                **{name: "\n".join(icp.get(name, [])) for name in ICP_FIELDS}}


class SaveStrategyForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), label="Campaign",
                                      empty_label="Choose a campaign")

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.for_workspace(workspace).filter(active=True)
