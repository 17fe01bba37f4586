from rest_framework import permissions

from accounts.roles import Capability


def required_capability(request, view) -> str:
    """What the current action needs: a view may map actions to capabilities."""
    action = getattr(view, "action", None)
    mapping = getattr(view, "action_capabilities", {})
    if action in mapping:
        return mapping[action]
    if request.method in permissions.SAFE_METHODS:
        return Capability.VIEW
    return getattr(view, "write_capability", Capability.EDIT)


class IsWorkspaceMember(permissions.BasePermission):
    """Authenticated, a member of the request's workspace, with the role the action needs."""

    message = "Your role in this workspace does not allow this action."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        membership = getattr(request, "membership", None)
        if membership is None:
            self.message = "You are not a member of a workspace this credential can use."
            return False
        return membership.can(required_capability(request, view))
