from rest_framework import serializers

from campaigns.models import Campaign
from core.api.serializers import StrictModelSerializer


class CampaignSerializer(StrictModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True, default=None)

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "description", "target_niche", "service", "target_clients", "target_mrr",
            "active", "owner", "lifecycle_state", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "owner", "lifecycle_state", "created_at", "updated_at"]
