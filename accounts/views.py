from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from accounts.decorators import workspace_member_required
from accounts.forms import APIKeyCreateForm, LoginForm, MembershipRoleForm
from accounts.middleware import SESSION_KEY
from accounts.models import APIKey, Membership, Role
from accounts.roles import Capability
from accounts.selectors import membership_for
from accounts.services import api_key_create, api_key_revoke, membership_set, workspace_update
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


def _api_keys(request):
    return APIKey.objects.for_workspace(request.workspace).select_related("user")


def _render_api_keys(request, *, status=200, **context):
    """The API keys section: the fragment for htmx, the whole settings page otherwise."""
    context = {"api_keys": _api_keys(request), "key_form": APIKeyCreateForm(), **context}
    if request.htmx:
        return render(request, "accounts/settings.html#api-keys", context, status=status)
    return render(request, "accounts/settings.html", {**_settings_context(request), **context}, status=status)


def _settings_context(request) -> dict:
    members = (
        Membership.objects.for_workspace(request.workspace)
        .select_related("user")
        .order_by("user__username")
    )
    can_manage = request.membership.can(Capability.MANAGE)
    return {
        "members": members,
        "api_keys": _api_keys(request) if can_manage else None,
        "key_form": APIKeyCreateForm(),
        "roles": Role.choices,
    }


@workspace_member_required()
def settings_page(request):
    return render(request, "accounts/settings.html", _settings_context(request))


@require_POST
@workspace_member_required(Capability.MANAGE)
def api_key_create_view(request):
    form = APIKeyCreateForm(request.POST)
    if not form.is_valid():
        return _render_api_keys(request, status=422, key_form=form)
    issued = api_key_create(workspace=request.workspace, user=request.user, name=form.cleaned_data["name"])
    response = _render_api_keys(request, new_key=issued.raw_key, new_key_name=issued.api_key.name)
    # The page shows a secret: keep it out of shared caches and the browser's back button.
    response["Cache-Control"] = "no-store"
    return trigger_client_event(
        response, "toast", {"message": f"Created “{issued.api_key.name}”. Copy the key now.", "level": "success"}
    )


@require_POST
@workspace_member_required(Capability.MANAGE)
def api_key_revoke_view(request, pk):
    api_key = get_object_or_404(APIKey.objects.for_workspace(request.workspace), pk=pk)
    api_key_revoke(api_key=api_key)
    text = f"Revoked “{api_key.name}”. Requests using it are now refused."
    if request.htmx:
        return trigger_client_event(_render_api_keys(request), "toast", {"message": text, "level": "success"})
    messages.success(request, text)
    return redirect("accounts:settings")


@require_POST
@workspace_member_required(Capability.MANAGE)
def workspace_self_approval_view(request):
    allow = request.POST.get("allow_self_approval") == "1"
    workspace_update(workspace=request.workspace, allow_self_approval=allow)
    messages.success(request, "Approvers may now approve strategy versions they wrote." if allow
                     else "Approvers may no longer approve strategy versions they wrote.")
    return redirect("accounts:settings")


@require_POST
@workspace_member_required(Capability.MANAGE)
def membership_role_view(request, pk):
    membership = get_object_or_404(Membership.objects.for_workspace(request.workspace).select_related("user"), pk=pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the listed roles.")
        return redirect("accounts:settings")
    role = form.cleaned_data["role"]
    try:
        membership_set(workspace=request.workspace, user=membership.user, role=role)
    except Problem as problem:
        messages.error(request, f"{membership.user.username} stays {membership.get_role_display()}: {problem.detail}")
    else:
        messages.success(request, f"{membership.user.username} is now {Role(role).label}.")
    return redirect("accounts:settings")
