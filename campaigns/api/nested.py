from django.shortcuts import get_object_or_404

from accounts.api.base import WorkspaceAPIView, WorkspaceGenericViewSet
from campaigns.models import Campaign


class CampaignScopedMixin:
    """For routes under `campaigns/{campaign_pk}/`: the campaign, scoped to the caller's
    workspace (another workspace's campaign is a 404)."""

    def check_permissions(self, request):
        # Resolve the campaign before the role check and before reading the body: another
        # workspace's campaign is a 404 whatever the caller's role or request.
        if getattr(request, "membership", None) is not None:
            self.get_campaign()
        super().check_permissions(request)

    def get_campaign(self) -> Campaign:
        if getattr(self, "_campaign", None) is None:
            campaigns = Campaign.objects.for_workspace(self.request.workspace).select_related("workspace")
            self._campaign = get_object_or_404(campaigns, pk=self.kwargs["campaign_pk"])
        return self._campaign


class CampaignScopedAPIView(CampaignScopedMixin, WorkspaceAPIView):
    pass


class CampaignScopedViewSet(CampaignScopedMixin, WorkspaceGenericViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(campaign=self.get_campaign())
