from rest_framework import serializers

from approvals.models import ApprovalDecision, ApprovalScope, Publication, Scope
from core.api.serializers import StrictSerializer


class ApprovalScopeSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)
    counts = serializers.SerializerMethodField(help_text="Whether this decision counts for the current version.")

    class Meta:
        model = ApprovalScope
        fields = ["scope", "status", "strategy_version", "decided_by", "decided_at", "comment", "counts"]

    def get_counts(self, row) -> bool:
        current = self.context.get("current_version")
        return row.status == "approved" and current is not None and row.strategy_version == current


class DecisionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = ApprovalDecision
        fields = ["id", "scope", "kind", "strategy_version", "actor", "comment", "created_at"]


class InitializeSerializer(StrictSerializer):
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices), required=False, allow_empty=False, max_length=4,
        help_text="Scopes this campaign needs approved; default all four.",
    )


class DecideSerializer(StrictSerializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    strategy_version = serializers.IntegerField(
        min_value=1, required=False,
        help_text="The version you reviewed; refused with 409 if it is no longer current.",
    )


class BlockerSerializer(serializers.Serializer):
    code = serializers.CharField()
    scope = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class ReadinessSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    strategy_version = serializers.IntegerField(allow_null=True)
    blockers = BlockerSerializer(many=True)


class ApprovalsStateSerializer(serializers.Serializer):
    current_version = serializers.IntegerField(allow_null=True)
    scopes = ApprovalScopeSerializer(many=True)
    ready = serializers.BooleanField()
    blockers = BlockerSerializer(many=True)


class PublicationSerializer(serializers.ModelSerializer):
    published_by = serializers.CharField(source="published_by.username", read_only=True, default=None)

    class Meta:
        model = Publication
        fields = ["id", "strategy_version", "published_by", "published_at", "approvals"]
