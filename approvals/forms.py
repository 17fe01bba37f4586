from django import forms

from approvals.models import Scope


class InitializeForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="Scopes this campaign needs approved", choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scope."},
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(label="Comment", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    # The version the approver was shown; a newer one makes the decision stale (409).
    strategy_version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
