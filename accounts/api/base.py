"""Base classes of every workspace-scoped API view: tenancy, roles, idempotency."""

from rest_framework import mixins, viewsets

from accounts.authentication import workspace_claim
from accounts.models import APIKey
from accounts.selectors import membership_for
from core.api.views import BaseAPIView, IdempotentAPIMixin

WORKSPACE_HEADER = "X-Workspace"


def resolve_api_membership(request):
    """The membership an API request acts through.

    An API key is bound to its workspace. A JWT carries the workspace it was issued for.
    A browser session uses the workspace chosen in the UI. `X-Workspace: <slug>` lets a
    JWT or session user pick another workspace they belong to; it cannot widen a key.
    """
    user, auth = request.user, request.auth
    if not (user and user.is_authenticated):
        return None
    if isinstance(auth, APIKey):
        return auth.membership  # loaded with the key (accounts.services.api_key_authenticate)
    slug = request.headers.get(WORKSPACE_HEADER)
    if slug:
        return membership_for(user=user, slug=slug)
    claimed = workspace_claim(auth)
    if claimed is not None:
        return membership_for(user=user, workspace_id=claimed)
    # The session middleware's membership is lazy: test its truth (which evaluates it), not
    # its identity, or a signed-in user without a workspace would pass as a member.
    session_membership = getattr(request._request, "membership", None)
    if session_membership:
        return session_membership
    return membership_for(user=user)


class WorkspaceAPIMixin(IdempotentAPIMixin):
    """Resolves `request.workspace`/`request.membership` before permissions run, and
    scopes `get_queryset()` to the workspace. Another workspace's object is a 404."""

    def perform_authentication(self, request):
        super().perform_authentication(request)
        membership = resolve_api_membership(request)
        request.membership = membership
        request.workspace = membership.workspace if membership else None

    def get_queryset(self):
        return super().get_queryset().for_workspace(self.request.workspace)

    def perform_create(self, serializer):
        serializer.save(workspace=self.request.workspace)


class WorkspaceAPIView(WorkspaceAPIMixin, BaseAPIView):
    pass


class WorkspaceGenericViewSet(WorkspaceAPIMixin, viewsets.GenericViewSet):
    pass


class WorkspaceModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    WorkspaceGenericViewSet,
):
    """CRUD without delete: domain objects are archived or revoked, not destroyed."""
