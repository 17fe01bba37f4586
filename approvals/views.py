"""Approval pages: the approvals tab of a campaign, its actions, and the approver inbox."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import workspace_member_required
from accounts.roles import Capability
from approvals.forms import DecisionForm, InitializeForm
from approvals.models import ApprovalDecision, Scope
from approvals.selectors import approvals_state, inbox
from approvals.services import approval_decide, approvals_initialize, campaign_publish
from campaigns.views import campaign_changed, campaign_for, render_detail
from core.api.problems import Problem
from core.htmx import refusal, toast

TRAIL_LIMIT = 50  # the newest audit rows on the page; the API pages through all of them


def approvals_tab_context(request, campaign) -> dict:
    state = approvals_state(campaign)
    trail = list(ApprovalDecision.objects.filter(campaign=campaign).select_related("actor")[:TRAIL_LIMIT + 1])
    required = [row.scope for row in state["scopes"]]
    return {
        "approvals": state,
        "trail": trail[:TRAIL_LIMIT],
        "trail_truncated": len(trail) > TRAIL_LIMIT,
        "init_form": InitializeForm(initial={"scopes": required or Scope.values}),
    }


def _render_panel(request, campaign, *, status=200, **extra):
    context = {"campaign": campaign, **approvals_tab_context(request, campaign), **extra}
    return render(request, "approvals/panel.html", context, status=status)


def _approvals_url(campaign) -> str:
    return reverse("campaigns:approvals", kwargs={"pk": campaign.pk})


def _html_status(problem: Problem) -> int:
    # A service's 400 is a form error in the browser.
    return 422 if problem.status_code == 400 else problem.status_code


@require_POST
@workspace_member_required(Capability.EDIT)
def approvals_initialize_view(request, pk):
    campaign = campaign_for(request, pk)
    form = InitializeForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            return render_detail(request, campaign, "approvals", status=422, init_form=form)
        return _render_panel(request, campaign, status=422, init_form=form)
    rows = approvals_initialize(campaign=campaign, scopes=form.cleaned_data["scopes"], by=request.user)
    message = "Approvals need: " + ", ".join(row.get_scope_display().lower() for row in rows) + "."
    if not request.htmx:
        messages.success(request, message)
        return redirect(_approvals_url(campaign))
    return campaign_changed(_render_panel(request, campaign), message)


@require_POST
@workspace_member_required(Capability.APPROVE)
def approval_decide_view(request, pk, scope, approve):
    campaign = campaign_for(request, pk)
    from_inbox = request.POST.get("origin") == "inbox"
    form = DecisionForm(request.POST)
    error, status = None, 200
    if not form.is_valid():
        error, status = {"comment_error": "; ".join(form.errors.get("comment", [])),
                         "message": "" if "comment" in form.errors else "Reload the page and try again."}, 422
    else:
        try:
            row = approval_decide(
                campaign=campaign, scope=scope, approve=approve, user=request.user,
                comment=form.cleaned_data["comment"], expected_version=form.cleaned_data["strategy_version"],
            )
        except Problem as problem:
            field_errors = problem.extra.get("errors") or {}
            if "comment" in field_errors:
                error = {"comment_error": field_errors["comment"][0]}
            else:
                error = {"message": str(problem.detail)}
            status = _html_status(problem)
    if error is not None:
        error.update(campaign_id=campaign.pk, scope=scope, comment=request.POST.get("comment", ""))
        return _decision_refused(request, campaign, from_inbox, error, status)
    verb = "approved" if approve else "rejected"
    message = f"{row.get_scope_display()} {verb} for version {row.strategy_version} of “{campaign.name}”."
    if not request.htmx:
        messages.success(request, message)
        return redirect(reverse("approvals:inbox") if from_inbox else _approvals_url(campaign))
    if from_inbox:
        return toast(_render_inbox_group(request, campaign), message)
    return campaign_changed(_render_panel(request, campaign), message)


def _decision_refused(request, campaign, from_inbox, error, status):
    if request.htmx:
        fragment = (_render_inbox_group(request, campaign, status=status, decision_error=error) if from_inbox
                    else _render_panel(request, campaign, status=status, decision_error=error))
        return refusal(fragment)
    if from_inbox:
        return _render_inbox(request, status=status, decision_error=error)
    return render_detail(request, campaign, "approvals", status=status, decision_error=error)


@require_POST
@workspace_member_required(Capability.EDIT)
def campaign_publish_view(request, pk):
    campaign = campaign_for(request, pk)
    try:
        publication = campaign_publish(campaign=campaign, by=request.user)
    except Problem as problem:
        publish_error = {"message": str(problem.detail), "blockers": problem.extra.get("blockers", [])}
        if not request.htmx:
            return render_detail(request, campaign, "approvals", status=problem.status_code, publish_error=publish_error)
        return refusal(_render_panel(request, campaign, status=problem.status_code, publish_error=publish_error))
    campaign.refresh_from_db()
    message = f"Published “{campaign.name}” with strategy version {publication.strategy_version}."
    if not request.htmx:
        messages.success(request, message)
        return redirect(_approvals_url(campaign))
    return campaign_changed(_render_panel(request, campaign), message)


# --- Approver inbox -------------------------------------------------------------------------

def _render_inbox(request, *, status=200, **extra):
    groups = inbox(request.workspace)
    context = {"groups": groups, "pending_count": sum(len(group["scopes"]) for group in groups), **extra}
    return render(request, "approvals/inbox.html", context, status=status)


def _render_inbox_group(request, campaign, *, status=200, **extra):
    groups = inbox(request.workspace, campaign_id=campaign.pk)
    context = {"group": groups[0] if groups else None, "done_campaign": campaign, **extra}
    return render(request, "approvals/inbox.html#inbox-group", context, status=status)


@workspace_member_required()
def inbox_view(request):
    return _render_inbox(request)
