from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from campaigns import advisor
from campaigns.api.nested import CampaignScopedAPIView, CampaignScopedViewSet
from campaigns.models import AdvisorResponse
from campaigns.services import advisor_response_record
from core.api.serializers import StrictModelSerializer

CAMPAIGN = OpenApiParameter("campaign_pk", int, OpenApiParameter.PATH)


class FindingSerializer(serializers.Serializer):
    key = serializers.CharField()
    area = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    severity = serializers.ChoiceField(choices=advisor.Severity.choices)
    action = serializers.CharField()
    url = serializers.CharField()


_area = inline_serializer("AdvisorArea", {"score": serializers.IntegerField(), "summary": serializers.CharField()})


@extend_schema(parameters=[CAMPAIGN])
class AdvisorEvaluateView(CampaignScopedAPIView):
    """Completeness per area (strategy, approvals, content, schedule, leads) and overall."""

    @extend_schema(operation_id="advisor_evaluate", responses={200: inline_serializer("AdvisorEvaluation", {
        "overall": serializers.IntegerField(), "areas": serializers.DictField(child=_area),
    })})
    def get(self, request, campaign_pk):
        return Response(advisor.evaluate(advisor.build_context(self.get_campaign())))


@extend_schema(parameters=[CAMPAIGN])
class AdvisorBlockersView(CampaignScopedAPIView):
    """What prevents publishing, most severe first."""

    @extend_schema(operation_id="advisor_blockers", responses={200: inline_serializer("AdvisorBlockers", {
        "blockers": FindingSerializer(many=True)})})
    def get(self, request, campaign_pk):
        found = advisor.blockers(advisor.build_context(self.get_campaign()))
        return Response({"blockers": [f.as_dict() for f in found]})


@extend_schema(parameters=[CAMPAIGN])
class AdvisorRecommendationsView(CampaignScopedAPIView):
    """Next best actions, ranked; accepted, dismissed and snoozed ones are left out."""

    @extend_schema(operation_id="advisor_recommendations", responses={200: inline_serializer(
        "AdvisorRecommendations", {"recommendations": FindingSerializer(many=True)})})
    def get(self, request, campaign_pk):
        found = advisor.recommendations(advisor.build_context(self.get_campaign()))
        return Response({"recommendations": [f.as_dict() for f in found]})


class AdvisorResponseSerializer(StrictModelSerializer):
    snooze_days = serializers.IntegerField(min_value=1, max_value=90, required=False, write_only=True,
                                           help_text="For a snooze: how many days (default 3).")
    user = serializers.CharField(source="user.username", read_only=True, default=None)

    class Meta:
        model = AdvisorResponse
        fields = ["id", "recommendation_key", "response", "snooze_days", "snoozed_until", "user", "created_at"]
        read_only_fields = ["id", "snoozed_until", "user", "created_at"]


@extend_schema(parameters=[CAMPAIGN])
class AdvisorResponseViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, CampaignScopedViewSet):
    """Record that a recommendation was accepted, dismissed or snoozed."""

    queryset = AdvisorResponse.objects.select_related("user")
    serializer_class = AdvisorResponseSerializer
    filterset_fields = ["response", "recommendation_key"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        snooze = timedelta(days=data.get("snooze_days", 0)) or advisor.DEFAULT_SNOOZE
        response = advisor_response_record(
            campaign=self.get_campaign(), key=data["recommendation_key"], response=data["response"],
            user=request.user,
            snoozed_until=timezone.now() + snooze if data["response"] == AdvisorResponse.Kind.SNOOZED else None,
        )
        return Response(self.get_serializer(response).data, status=status.HTTP_201_CREATED)
