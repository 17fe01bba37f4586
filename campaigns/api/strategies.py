from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.api.nested import CampaignScopedViewSet
from campaigns.models import Strategy
from campaigns.services import strategy_invalidate, strategy_version_create
from campaigns.strategy import completeness
from core.api.problems import Problem
from core.api.serializers import StrictModelSerializer, StrictSerializer


def _short_strings(max_items: int, max_length: int, **kwargs):
    return serializers.ListField(
        child=serializers.CharField(max_length=max_length, allow_blank=False), max_length=max_items,
        required=False, **kwargs,
    )


class AdsConfigField(serializers.DictField):
    MAX_KEYS = 30

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > self.MAX_KEYS:
            raise serializers.ValidationError(f"At most {self.MAX_KEYS} settings.")
        for key, item in value.items():
            if len(str(key)) > 60 or (isinstance(item, str) and len(item) > 500) or isinstance(item, dict | list):
                raise serializers.ValidationError(
                    "Each setting is a short name with a number, true/false or text of at most 500 characters."
                )
        return value


class StrategySerializer(StrictModelSerializer):
    platforms = _short_strings(20, 60)
    goals = _short_strings(20, 300)
    content_pillars = _short_strings(12, 200)
    ads_config = AdsConfigField(required=False)
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    invalidated_by = serializers.CharField(source="invalidated_by.username", read_only=True, default=None)
    is_valid = serializers.BooleanField(read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "version", "is_valid", "platforms", "goals", "target_audience", "content_pillars", "brand_tone",
            "constraints", "cadence", "ads_config", "author", "created_at", "invalidated_at",
            "invalidation_reason", "invalidated_by",
        ]
        read_only_fields = ["version", "created_at", "invalidated_at", "invalidation_reason"]
        extra_kwargs = {
            "target_audience": {"max_length": 2000},
            "constraints": {"max_length": 2000},
            "brand_tone": {"max_length": 300},
            "cadence": {"max_length": 200},
        }


class InvalidateSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


_completeness_entry = inline_serializer("CompletenessEntry", {
    "field": serializers.CharField(), "label": serializers.CharField(), "hint": serializers.CharField(),
    "blocks": serializers.ListField(child=serializers.CharField()),
})


@extend_schema(parameters=[OpenApiParameter("campaign_pk", int, OpenApiParameter.PATH)])
class StrategyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      CampaignScopedViewSet):
    """A campaign's strategy versions. Saving creates a new version; versions never change."""

    queryset = Strategy.objects.select_related("author", "invalidated_by")
    serializer_class = StrategySerializer
    lookup_field = "version"
    lookup_value_regex = r"\d+"
    filterset_fields = []
    ordering_fields = ["version"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        strategy = strategy_version_create(campaign=self.get_campaign(), data=serializer.validated_data,
                                           author=request.user)
        return Response(self.get_serializer(strategy).data, status=status.HTTP_201_CREATED)

    @action(detail=False)
    def current(self, request, *args, **kwargs):
        strategy = self.get_queryset().filter(invalidated_at__isnull=True).order_by("-version").first()
        if strategy is None:
            raise Problem(404, "No current strategy", detail="This campaign has no valid strategy version.")
        return Response(self.get_serializer(strategy).data)

    @extend_schema(request=InvalidateSerializer, responses={200: StrategySerializer})
    @action(detail=True, methods=["post"])
    def invalidate(self, request, *args, **kwargs):
        strategy = self.get_object()
        body = InvalidateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        strategy = strategy_invalidate(strategy=strategy, reason=body.validated_data["reason"], by=request.user)
        return Response(self.get_serializer(strategy).data)

    @extend_schema(responses={200: inline_serializer("StrategyCompleteness", {
        "version": serializers.IntegerField(), "score": serializers.IntegerField(),
        "missing": _completeness_entry.__class__(many=True), "weak": _completeness_entry.__class__(many=True),
        "blocks": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    })})
    @action(detail=True)
    def completeness(self, request, *args, **kwargs):
        strategy = self.get_object()
        return Response({"version": strategy.version, **completeness(strategy)})
