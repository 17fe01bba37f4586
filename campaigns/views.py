from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseLocation, trigger_client_event

from accounts.decorators import workspace_member_required
from accounts.models import Membership
from accounts.roles import Capability
from campaigns import advisor
from campaigns.filtersets import CampaignFilterSet
from campaigns.forms import AdvisorResponseForm, CampaignForm, InvalidateForm, StrategyForm
from campaigns.models import AdvisorResponse, Campaign
from campaigns.selectors import campaign_list, strategy_current, strategy_versions
from campaigns.services import (
    advisor_response_record,
    campaign_create,
    campaign_update,
    strategy_invalidate,
    strategy_version_create,
)
from campaigns.strategy import FIELD_RULES, completeness
from campaigns.strategy_diff import strategy_diff
from campaigns.tabs import CampaignTab, campaign_tab, campaign_tabs
from core.api.problems import Problem
from core.htmx import refusal, toast

CAMPAIGNS_PER_PAGE = 25

@workspace_member_required()
def dashboard(request):
    campaigns = campaign_list(workspace=request.workspace)
    total = campaigns.count()
    active = campaigns.filter(active=True).count()
    context = {
        "recent_campaigns": campaigns[:5],
        "total_count": total,
        "active_count": active,
        "archived_count": total - active,
        "member_count": Membership.objects.for_workspace(request.workspace).count(),
    }
    return render(request, "campaigns/dashboard.html", context)


# The same URL answers a fragment to htmx and a page otherwise; caches must keep them apart.
@vary_on_headers("HX-Request", "HX-Target")
@workspace_member_required()
def campaign_list_view(request):
    filterset = CampaignFilterSet(request.GET, queryset=campaign_list(workspace=request.workspace))
    page = Paginator(filterset.qs, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "campaigns": page.object_list,
        "filtered": any(request.GET.get(name) for name in ("q", "active", "lifecycle_state")),
        "query": query.urlencode(),
    }
    if request.htmx and request.htmx.target == "campaign-table":
        return render(request, "campaigns/list.html#campaign-table", context)
    context["form"] = CampaignForm()
    return render(request, "campaigns/list.html", context)


@workspace_member_required(Capability.EDIT)
def campaign_create_view(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = campaign_create(workspace=request.workspace, owner=request.user, **form.cleaned_data)
        messages.success(request, f"Created “{campaign.name}”.")
        if request.htmx:
            return HttpResponseLocation(campaign_url(campaign))
        return redirect(campaign_url(campaign))
    status = 422 if request.method == "POST" else 200
    template = "campaigns/list.html#campaign-form" if request.htmx else "campaigns/create.html"
    return render(request, template, {"form": form}, status=status)


@workspace_member_required(Capability.EDIT)
def campaign_edit(request, pk):
    campaign = get_object_or_404(Campaign.objects.for_workspace(request.workspace), pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign_update(campaign=campaign, **form.cleaned_data)
        messages.success(request, f"Saved “{campaign.name}”.")
        return redirect(campaign_url(campaign))
    status = 422 if request.method == "POST" else 200
    return render(request, "campaigns/edit.html", {"campaign": campaign, "form": form}, status=status)


@require_POST
@workspace_member_required(Capability.EDIT)
def campaign_set_active(request, pk):
    """Archive (active=0) or reactivate (active=1) a campaign."""
    campaign = get_object_or_404(Campaign.objects.for_workspace(request.workspace), pk=pk)
    active = request.POST.get("active") == "1"
    campaign_update(campaign=campaign, active=active)
    messages.success(request, f"{'Reactivated' if active else 'Archived'} “{campaign.name}”.")
    return redirect(campaign_url(campaign))


def campaign_url(campaign: Campaign) -> str:
    return reverse("campaigns:detail", kwargs={"pk": campaign.pk})


def campaign_for(request, pk) -> Campaign:
    """The campaign `pk` of the current workspace; another workspace's campaign is a 404."""
    return get_object_or_404(Campaign.objects.for_workspace(request.workspace).select_related("owner"), pk=pk)


def campaign_changed(response, message: str, level: str = "success"):
    """Tell the page something changed: a toast, and `campaign-changed` refreshes the advisor."""
    trigger_client_event(response, "campaign-changed")
    return toast(response, message, level)


# --- Campaign page ------------------------------------------------------------------------

@vary_on_headers("HX-Request", "HX-Target")
@workspace_member_required()
def campaign_detail(request, pk, default_tab="overview"):
    campaign = campaign_for(request, pk)
    tab = campaign_tab(request.GET.get("tab", default_tab)) or campaign_tab("overview")
    if request.htmx and request.htmx.target == "campaign-tab":
        return render(request, "campaigns/detail.html#campaign-tab", detail_context(request, campaign, tab))
    return render_detail(request, campaign, tab)


def detail_context(request, campaign: Campaign, tab: CampaignTab, **extra) -> dict:
    return {
        "campaign": campaign, "tab": tab.key, "active_tab": tab, "tabs": campaign_tabs(),
        **tab.context(request, campaign), **extra,
    }


def render_detail(request, campaign: Campaign, tab: CampaignTab | str, *, status: int = 200, **extra):
    """The whole campaign page: the tab, and the advisor sidebar beside it."""
    tab = campaign_tab(tab) if isinstance(tab, str) else tab
    context = detail_context(request, campaign, tab, **extra)
    context.update(advisor_sidebar_context(campaign))
    return render(request, "campaigns/detail.html", context, status=status)


def tab_url(campaign: Campaign, tab: str) -> str:
    return f"{campaign_url(campaign)}?tab={tab}"


# --- Strategy -----------------------------------------------------------------------------

def strategy_tab_context(request, campaign: Campaign) -> dict:
    versions = list(strategy_versions(campaign=campaign))
    current = strategy_current(versions)
    return {
        "versions": versions,
        "current": current,
        "completeness": completeness(current) if current else None,
        "latest": versions[0] if versions else None,
    }


def _render_strategy_panel(request, campaign, *, status=200, **extra):
    context = {"campaign": campaign, **strategy_tab_context(request, campaign), **extra}
    return render(request, "campaigns/tabs/strategy.html", context, status=status)


@workspace_member_required(Capability.EDIT)
def strategy_edit(request, pk):
    campaign = campaign_for(request, pk)
    versions = list(strategy_versions(campaign=campaign)[:1])
    base = versions[0] if versions else None
    form = StrategyForm(request.POST or None, initial=StrategyForm.initial_from(base))
    if request.method == "POST" and form.is_valid():
        try:
            strategy = strategy_version_create(campaign=campaign, data=form.cleaned_data, author=request.user)
        except ValidationError as error:  # the model's own limits; the form mirrors them
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved strategy version {strategy.version}.")
            return redirect(tab_url(campaign, "strategy"))
    status = 422 if request.method == "POST" else 200
    return render(request, "campaigns/strategy_edit.html",
                  {"campaign": campaign, "form": form, "base": base, "rules": FIELD_RULES}, status=status)


@workspace_member_required()
def strategy_diff_view(request, pk):
    campaign = campaign_for(request, pk)
    versions = list(strategy_versions(campaign=campaign))
    by_number = {strategy.version: strategy for strategy in versions}
    # Default: the newest version against the one before it.
    old = _version_param(request, "a", by_number, versions[1] if len(versions) > 1 else None)
    new = _version_param(request, "b", by_number, versions[0] if versions else None)
    context = {
        "campaign": campaign, "versions": versions, "old": old, "new": new,
        "diff": strategy_diff(old, new) if old and new else None,
    }
    context["changed_count"] = sum(1 for entry in context["diff"] or () if entry.changed)
    return render(request, "campaigns/strategy_diff.html", context)


def _version_param(request, name, by_number, default):
    value = request.GET.get(name)
    if not value:
        return default
    try:
        return by_number[int(value)]
    except (ValueError, KeyError):
        raise Http404(f"This campaign has no strategy version {value}.") from None


@require_POST
@workspace_member_required(Capability.EDIT)
def strategy_invalidate_view(request, pk, version):
    campaign = campaign_for(request, pk)
    strategy = get_object_or_404(strategy_versions(campaign=campaign), version=version)
    form = InvalidateForm(request.POST)
    error, status = None, 200
    if form.is_valid():
        try:
            strategy_invalidate(strategy=strategy, reason=form.cleaned_data["reason"], by=request.user)
        except Problem as problem:
            error, status = {"message": str(problem.detail)}, problem.status_code
    else:
        error, status = {"reason_error": form.errors["reason"][0]}, 422
    if error is None:
        message = f"Version {version} invalidated."
        if not request.htmx:
            messages.success(request, message)
            return redirect(tab_url(campaign, "strategy"))
        return campaign_changed(_render_strategy_panel(request, campaign), message)
    invalidate_error = {"version": version, "reason": request.POST.get("reason", ""), **error}
    if not request.htmx:
        return render_detail(request, campaign, "strategy", status=status, invalidate_error=invalidate_error)
    return refusal(_render_strategy_panel(request, campaign, status=status, invalidate_error=invalidate_error))


# --- Advisor ------------------------------------------------------------------------------

SIDEBAR_RECOMMENDATIONS = 4


def advisor_sidebar_context(campaign: Campaign) -> dict:
    ctx = advisor.build_context(campaign)
    found = advisor.findings(ctx)
    # Blockers are listed on their own and cannot be dismissed; the rest are suggestions.
    suggestions = [finding for finding in advisor.recommendations(ctx, found) if not finding.blocker]
    return {
        "advisor_score": advisor.evaluate(ctx)["overall"],
        "advisor_blockers": advisor.blockers(ctx, found),
        "advisor_recommendations": suggestions[:SIDEBAR_RECOMMENDATIONS],
        "advisor_more": max(0, len(suggestions) - SIDEBAR_RECOMMENDATIONS),
    }


def advisor_tab_context(request, campaign: Campaign) -> dict:
    evaluation = advisor.evaluate(advisor.build_context(campaign))
    areas = [{"key": key, "label": key.title(), **value} for key, value in evaluation["areas"].items()]
    return {"evaluation": evaluation, "areas": areas}


def _render_sidebar(request, campaign, *, status=200):
    context = {"campaign": campaign, **advisor_sidebar_context(campaign)}
    return render(request, "campaigns/advisor_sidebar.html", context, status=status)


@workspace_member_required()
def advisor_sidebar(request, pk):
    return _render_sidebar(request, campaign_for(request, pk))


@require_POST
@workspace_member_required(Capability.EDIT)
def advisor_respond(request, pk):
    campaign = campaign_for(request, pk)
    form = AdvisorResponseForm(request.POST)
    if not form.is_valid():
        response = _render_sidebar(request, campaign, status=422) if request.htmx else redirect(campaign_url(campaign))
        return toast(response, "That response was not understood; reload the page and try again.", "error")
    kind = form.cleaned_data["response"]
    snoozed = kind == AdvisorResponse.Kind.SNOOZED
    advisor_response_record(
        campaign=campaign, key=form.cleaned_data["key"], response=kind, user=request.user,
        snoozed_until=timezone.now() + advisor.DEFAULT_SNOOZE if snoozed else None,
    )
    message = {
        AdvisorResponse.Kind.ACCEPTED: "Marked as done.",
        AdvisorResponse.Kind.DISMISSED: "Dismissed; the advisor won’t suggest it again.",
        AdvisorResponse.Kind.SNOOZED: f"Snoozed for {advisor.DEFAULT_SNOOZE.days} days.",
    }[kind]
    if not request.htmx:
        messages.success(request, message)
        return redirect(campaign_url(campaign))
    return toast(_render_sidebar(request, campaign), message)

