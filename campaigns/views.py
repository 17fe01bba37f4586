from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django_htmx.http import HttpResponseLocation

from accounts.decorators import workspace_member_required
from accounts.roles import Capability
from campaigns.filtersets import CampaignFilterSet
from campaigns.forms import CampaignForm
from campaigns.models import Campaign
from campaigns.selectors import campaign_list
from campaigns.services import campaign_create


@workspace_member_required()
def dashboard(request):
    campaigns = campaign_list(workspace=request.workspace)
    context = {
        "recent_campaigns": campaigns[:5],
        "active_count": campaigns.filter(active=True).count(),
        "total_count": campaigns.count(),
    }
    return render(request, "campaigns/dashboard.html", context)


@workspace_member_required()
def campaign_list_view(request):
    filterset = CampaignFilterSet(request.GET, queryset=campaign_list(workspace=request.workspace))
    context = {"filterset": filterset, "campaigns": filterset.qs, "form": CampaignForm()}
    if request.htmx and request.htmx.target == "campaign-table":
        return render(request, "campaigns/list.html#campaign-table", context)
    return render(request, "campaigns/list.html", context)


@workspace_member_required(Capability.EDIT)
def campaign_create_view(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = campaign_create(workspace=request.workspace, owner=request.user, **form.cleaned_data)
        messages.success(request, f"Created “{campaign.name}”.")
        return HttpResponseLocation(f"/campaigns/{campaign.pk}/") if request.htmx else _redirect(campaign)
    status = 422 if request.method == "POST" else 200
    template = "campaigns/list.html#campaign-form" if request.htmx else "campaigns/create.html"
    return render(request, template, {"form": form}, status=status)


def _redirect(campaign):
    from django.shortcuts import redirect

    return redirect("campaigns:detail", pk=campaign.pk)


@workspace_member_required()
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.for_workspace(request.workspace).select_related("owner"), pk=pk)
    return render(request, "campaigns/detail.html", {"campaign": campaign})
