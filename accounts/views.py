from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import workspace_member_required
from accounts.forms import APIKeyCreateForm, LoginForm, MembershipRoleForm
from accounts.middleware import SESSION_KEY
from accounts.models import APIKey, Membership
from accounts.roles import Capability
from accounts.selectors import membership_for, memberships_of
from accounts.services import api_key_create, api_key_revoke, membership_set
from core.api.problems import Problem, is_api_path, problem_response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(request, original_response=None, credentials=None):
    """Answer for a username/address pair locked out after too many failed sign-ins."""
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60)
    detail = f"Too many failed sign-in attempts. Try again in {minutes} minutes."
    if is_api_path(request.path):
        return problem_response(429, title="Too many sign-in attempts", detail=detail,
                                retry_after=int(cooloff.total_seconds()))
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "lockout": detail}, status=429)


@require_POST
@workspace_member_required()
def workspace_switch(request):
    membership = membership_for(user=request.user, slug=request.POST.get("workspace", ""))
    if membership is None:
        messages.error(request, "You are not a member of that workspace.")
    else:
        request.session[SESSION_KEY] = membership.workspace_id
        messages.success(request, f"Switched to {membership.workspace.name}.")
    return redirect("dashboard")


@workspace_member_required()
def settings_page(request):
    workspace = request.workspace
    members = Membership.objects.for_workspace(workspace).select_related("user").order_by("user__username")
    api_keys = None
    if request.membership.can(Capability.MANAGE):
        api_keys = APIKey.objects.for_workspace(workspace).select_related("user")
    context = {
        "members": members,
        "api_keys": api_keys,
        "key_form": APIKeyCreateForm(),
        "workspaces": memberships_of(request.user),
        "roles": MembershipRoleForm.base_fields["role"].choices,
    }
    return render(request, "accounts/settings.html", context)


@require_POST
@workspace_member_required(Capability.MANAGE)
def api_key_create_view(request):
    form = APIKeyCreateForm(request.POST)
    if not form.is_valid():
        keys = APIKey.objects.for_workspace(request.workspace).select_related("user")
        return render(request, "accounts/settings.html#api-keys", {"api_keys": keys, "key_form": form}, status=422)
    issued = api_key_create(workspace=request.workspace, user=request.user, name=form.cleaned_data["name"])
    keys = APIKey.objects.for_workspace(request.workspace).select_related("user")
    return render(
        request,
        "accounts/settings.html#api-keys",
        {"api_keys": keys, "key_form": APIKeyCreateForm(), "new_key": issued.raw_key, "new_key_name": issued.api_key.name},
    )


@require_POST
@workspace_member_required(Capability.MANAGE)
def api_key_revoke_view(request, pk):
    api_key = get_object_or_404(APIKey.objects.for_workspace(request.workspace), pk=pk)
    api_key_revoke(api_key=api_key)
    messages.success(request, f"Revoked “{api_key.name}”.")
    keys = APIKey.objects.for_workspace(request.workspace).select_related("user")
    if request.htmx:
        return render(request, "accounts/settings.html#api-keys", {"api_keys": keys, "key_form": APIKeyCreateForm()})
    return redirect("accounts:settings")


@require_POST
@workspace_member_required(Capability.MANAGE)
def membership_role_view(request, pk):
    membership = get_object_or_404(Membership.objects.for_workspace(request.workspace).select_related("user"), pk=pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            membership_set(workspace=request.workspace, user=membership.user, role=form.cleaned_data["role"])
        except Problem as problem:
            messages.error(request, str(problem.detail))
        else:
            messages.success(request, f"{membership.user.username} is now {form.cleaned_data['role']}.")
    else:
        messages.error(request, "Choose one of the listed roles.")
    return redirect("accounts:settings")
