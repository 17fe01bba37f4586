from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.base import WorkspaceModelViewSet
from campaigns.api.serializers import CampaignSerializer
from campaigns.filtersets import CampaignFilterSet
from campaigns.models import Campaign
from campaigns.services import campaign_archive, campaign_create, campaign_update


class CampaignViewSet(WorkspaceModelViewSet):
    """The workspace's campaigns. A campaign is archived (`POST .../archive/`), never deleted."""

    queryset = Campaign.objects.select_related("owner")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    search_fields = ["name", "target_niche"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = campaign_create(workspace=request.workspace, owner=request.user, **serializer.validated_data)
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = campaign_update(campaign=serializer.instance, **serializer.validated_data)

    @extend_schema(request=None, responses={200: CampaignSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        campaign = campaign_archive(campaign=self.get_object())
        return Response(self.get_serializer(campaign).data)
