import uuid

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.views import TokenRefreshView as _TokenRefreshView

from accounts.api.base import WorkspaceAPIView, WorkspaceGenericViewSet
from accounts.api.serializers import (
    APIKeySerializer,
    IssuedAPIKeySerializer,
    MembershipSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    WorkspaceSerializer,
)
from accounts.models import APIKey, Membership
from accounts.roles import Capability
from accounts.services import (
    api_key_create,
    api_key_revoke,
    membership_remove,
    membership_set,
    workspace_update,
)
from core.api.views import BaseAPIView
from core.logging import get_request_id
from core.stats import workspace_stats


class TokenObtainView(BaseAPIView):
    """Exchange a username and password for a short-lived JWT bound to one workspace."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    idempotent = False  # the response holds credentials; never store it

    @extend_schema(operation_id="auth_token_create", request=TokenObtainSerializer,
                   responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class TokenRefreshView(_TokenRefreshView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class CurrentWorkspaceView(WorkspaceAPIView):
    """The caller's workspace. Admins change its name and the self-approval rule."""

    write_capability = Capability.MANAGE

    @extend_schema(operation_id="workspace_current", responses={200: WorkspaceSerializer})
    def get(self, request):
        return Response(WorkspaceSerializer(request.workspace).data)

    @extend_schema(operation_id="workspace_update", request=WorkspaceSerializer, responses={200: WorkspaceSerializer})
    def patch(self, request):
        serializer = WorkspaceSerializer(request.workspace, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        workspace = workspace_update(workspace=request.workspace, **serializer.validated_data)
        return Response(WorkspaceSerializer(workspace).data)


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                        mixins.DestroyModelMixin, WorkspaceGenericViewSet):
    """People in the workspace. Admins change roles and remove members."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    write_capability = Capability.MANAGE
    search_fields = ["user__username", "user__email"]
    filterset_fields = ["role"]
    ordering_fields = ["created_at", "role"]

    def perform_update(self, serializer):
        # The service returns the saved row; the response must show it, not the old role.
        role = serializer.validated_data.get("role", serializer.instance.role)
        serializer.instance = membership_set(workspace=self.request.workspace,
                                             user=serializer.instance.user, role=role)

    def perform_destroy(self, instance):
        membership_remove(membership=instance)


class APIKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    WorkspaceGenericViewSet):
    """Workspace API keys. The secret is returned once, by the create call."""

    queryset = APIKey.objects.select_related("user")
    serializer_class = APIKeySerializer
    write_capability = Capability.MANAGE
    action_capabilities = {"list": Capability.MANAGE, "retrieve": Capability.MANAGE}
    filterset_fields = ["revoked_at"]
    search_fields = ["name", "prefix"]
    # A replayed create answers without the secret: it is never stored anywhere.
    idempotency_redact = ("key",)

    @extend_schema(responses={201: IssuedAPIKeySerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = api_key_create(workspace=request.workspace, user=request.user,
                                name=serializer.validated_data["name"])
        issued.api_key.key = issued.raw_key
        return Response(IssuedAPIKeySerializer(issued.api_key).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: APIKeySerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        api_key = api_key_revoke(api_key=self.get_object())
        return Response(APIKeySerializer(api_key).data)


class StatsView(WorkspaceAPIView):
    """Counts for the caller's workspace, one section per area."""

    @extend_schema(operation_id="stats", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({"workspace": request.workspace.slug, **workspace_stats(request.workspace)})


class PingView(WorkspaceAPIView):
    """Diagnostics: a task round trip from the API through the broker and a worker to the
    workspace's websocket (`/ws/events/` receives `diagnostics.pong`)."""

    @extend_schema(operation_id="diagnostics_ping", request=None,
                   responses={202: inline_serializer("Ping", {"ping_id": serializers.CharField()})})
    def post(self, request):
        from core.tasks import deliver_pong

        ping_id, request_id, workspace_id = uuid.uuid4().hex, get_request_id(), request.workspace.pk
        transaction.on_commit(lambda: deliver_pong.delay(workspace_id, ping_id, request_id))
        return Response({"ping_id": ping_id}, status=status.HTTP_202_ACCEPTED)
