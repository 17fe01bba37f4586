from rest_framework import serializers

from campaigns.models import Campaign
from core.api.serializers import StrictSerializer
from generators.models import Generation
from generators.schemas import ICPInputSerializer
from generators.services import normalise_website
from generators.writers import DEFAULT_WRITER, WRITER_NAMES


class GenerateRequestSerializer(StrictSerializer):
    website = serializers.CharField(max_length=500, help_text="The company's website, e.g. https://example.com")
    icp = ICPInputSerializer(required=False, allow_null=True, help_text="Omit to infer the ICP from the site.")
    campaign = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                        help_text="A campaign of this workspace the generation is for.")
    refresh = serializers.BooleanField(required=False, default=False, help_text="Bypass the cache.")
    writer = serializers.ChoiceField(choices=WRITER_NAMES, required=False, default=DEFAULT_WRITER)

    def validate_website(self, value: str) -> str:
        try:
            return normalise_website(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_campaign(self, value: int | None) -> Campaign | None:
        if value is None:
            return None
        campaign = Campaign.objects.for_workspace(self.context["workspace"]).filter(pk=value).first()
        if campaign is None:
            raise serializers.ValidationError("No such campaign in this workspace.")
        return campaign


class WriterSerializer(serializers.Serializer):
    name = serializers.CharField(source="writer_name")
    version = serializers.CharField(source="writer_version")


class GenerationListSerializer(serializers.ModelSerializer):
    writer = WriterSerializer(source="*", read_only=True)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = Generation
        fields = [
            "id", "kind", "website", "status", "icp_source", "campaign", "writer", "refresh", "cache_hit",
            "parts", "error", "created_by", "created_at", "started_at", "finished_at", "duration_ms",
        ]
        read_only_fields = fields


class GenerationSerializer(GenerationListSerializer):
    """One generation with its inputs and result (`result` holds each part, `facts` and `icp`)."""

    class Meta(GenerationListSerializer.Meta):
        fields = [*GenerationListSerializer.Meta.fields, "icp_input", "result"]
        read_only_fields = fields
