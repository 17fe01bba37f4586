from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from accounts.api.base import WorkspaceAPIMixin
from accounts.roles import Capability
from approvals.api.serializers import (
    ApprovalsStateSerializer,
    DecideSerializer,
    DecisionSerializer,
    InitializeSerializer,
    PublicationSerializer,
    ReadinessSerializer,
)
from approvals.models import ApprovalDecision, Scope
from approvals.selectors import approvals_state
from approvals.services import (
    approval_decide,
    approvals_initialize,
    campaign_publish,
    publish_readiness,
)
from campaigns.api.nested import CampaignScopedAPIView, CampaignScopedMixin

CAMPAIGN = OpenApiParameter("campaign_pk", int, OpenApiParameter.PATH)


def _state_response(campaign):
    state = approvals_state(campaign)
    return Response(ApprovalsStateSerializer(state, context={"current_version": state["current_version"]}).data)


@extend_schema(parameters=[CAMPAIGN])
class ApprovalsView(CampaignScopedAPIView):
    """Each required scope's state for the current strategy version, and the gate's verdict."""

    @extend_schema(operation_id="approvals_state", responses={200: ApprovalsStateSerializer})
    def get(self, request, campaign_pk):
        return _state_response(self.get_campaign())


@extend_schema(parameters=[CAMPAIGN])
class ApprovalsInitializeView(CampaignScopedAPIView):
    @extend_schema(operation_id="approvals_initialize", request=InitializeSerializer,
                   responses={200: ApprovalsStateSerializer})
    def post(self, request, campaign_pk):
        body = InitializeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        campaign = self.get_campaign()
        approvals_initialize(campaign=campaign, scopes=body.validated_data.get("scopes"), by=request.user)
        return _state_response(campaign)


@extend_schema(parameters=[CAMPAIGN, OpenApiParameter("scope", str, OpenApiParameter.PATH, enum=Scope.values)])
class ApprovalDecideView(CampaignScopedAPIView):
    """Approve or reject one scope against the current strategy version (approvers only)."""

    write_capability = Capability.APPROVE
    approve = True

    @extend_schema(request=DecideSerializer, responses={200: ApprovalsStateSerializer})
    def post(self, request, campaign_pk, scope):
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        campaign = self.get_campaign()
        approval_decide(
            campaign=campaign, scope=scope, approve=self.approve, user=request.user,
            comment=body.validated_data["comment"], expected_version=body.validated_data.get("strategy_version"),
        )
        return _state_response(campaign)


class ApprovalRejectView(ApprovalDecideView):
    approve = False


@extend_schema(parameters=[CAMPAIGN])
class CheckPublishView(CampaignScopedAPIView):
    """`{ready, blockers[]}`: whether the campaign can be published now, and if not, why."""

    write_capability = Capability.VIEW  # a POST that changes nothing

    @extend_schema(operation_id="approvals_check_publish", request=None, responses={200: ReadinessSerializer})
    def post(self, request, campaign_pk):
        return Response(ReadinessSerializer(publish_readiness(self.get_campaign())).data)

    @extend_schema(operation_id="approvals_check_publish_read", responses={200: ReadinessSerializer})
    def get(self, request, campaign_pk):
        return self.post(request, campaign_pk)


@extend_schema(parameters=[CAMPAIGN])
class PublishView(CampaignScopedAPIView):
    """Publish against the current strategy version; 409 with the blockers when not ready."""

    @extend_schema(operation_id="campaign_publish", request=None, responses={201: PublicationSerializer})
    def post(self, request, campaign_pk):
        publication = campaign_publish(campaign=self.get_campaign(), by=request.user)
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CAMPAIGN])
class ApprovalHistoryView(CampaignScopedMixin, WorkspaceAPIMixin, generics.ListAPIView):
    """The audit trail: every requirement, decision and reset, newest first."""

    queryset = ApprovalDecision.objects.select_related("actor")
    serializer_class = DecisionSerializer
    filterset_fields = ["scope", "kind"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return super().get_queryset().filter(campaign=self.get_campaign())
