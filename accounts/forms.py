from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.roles import Role


class LoginForm(AuthenticationForm):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))


class APIKeyCreateForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses this key, e.g. “CRM sync”.")


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
