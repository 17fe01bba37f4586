from django import forms

from campaigns.models import Campaign


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "target_niche", "service", "description", "target_clients", "target_mrr"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
