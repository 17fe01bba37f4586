from django.contrib.auth import authenticate
from rest_framework import serializers
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import WORKSPACE_CLAIM
from accounts.models import APIKey, Membership, Role, Workspace
from accounts.selectors import membership_for
from core.api.serializers import StrictModelSerializer, StrictSerializer


class WorkspaceSerializer(StrictModelSerializer):
    name = serializers.CharField(max_length=120, required=False)
    allow_self_approval = serializers.BooleanField(
        required=False, help_text="Let an approver approve a strategy version they authored."
    )

    class Meta:
        model = Workspace
        fields = ["id", "name", "slug", "allow_self_approval", "created_at"]
        read_only_fields = ["id", "slug", "created_at"]


class MembershipSerializer(StrictModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "username", "email", "role", "created_at"]
        read_only_fields = ["id", "username", "email", "created_at"]


class APIKeySerializer(StrictModelSerializer):
    name = serializers.CharField(max_length=100)
    user = serializers.CharField(source="user.username", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    display = serializers.CharField(read_only=True)

    class Meta:
        model = APIKey
        fields = ["id", "name", "display", "user", "is_active", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "display", "user", "is_active", "created_at", "last_used_at", "revoked_at"]


class IssuedAPIKeySerializer(APIKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The secret. Shown in this response only.")

    class Meta(APIKeySerializer.Meta):
        fields = [*APIKeySerializer.Meta.fields, "key"]


class TokenObtainSerializer(StrictSerializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    workspace = serializers.SlugField(required=False, help_text="Workspace slug; default: your first.")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = authenticate(self.context["request"]._request, username=attrs["username"], password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": ["Wrong username or password."]})
        membership = membership_for(user=user, slug=attrs.get("workspace")) if attrs.get("workspace") \
            else membership_for(user=user)
        if membership is None:
            raise serializers.ValidationError({"workspace": ["You are not a member of this workspace."]})
        refresh = RefreshToken.for_user(user)
        refresh[WORKSPACE_CLAIM] = membership.workspace_id
        return {
            "access": str(refresh.access_token),
            "refresh": str(refresh),
            "workspace": membership.workspace.slug,
            "role": membership.role,
        }


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    workspace = serializers.CharField()
    role = serializers.CharField()
