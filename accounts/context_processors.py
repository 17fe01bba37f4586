from django.utils.functional import SimpleLazyObject

from accounts.roles import Capability
from accounts.selectors import memberships_of


def _nav_section(request) -> str:
    """The navigation entry to highlight: the URL namespace, or the URL name outside one."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return match.namespace or match.url_name or ""


def workspace(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not membership:
        return {"current_workspace": None, "current_membership": None, "workspaces": (), "nav_section": ""}
    return {
        "nav_section": _nav_section(request),
        "current_workspace": membership.workspace,
        "current_membership": membership,
        # Lazy: only pages that draw the workspace switcher pay for the query.
        "workspaces": SimpleLazyObject(lambda: memberships_of(user)),
        "can_edit": membership.can(Capability.EDIT),
        "can_approve": membership.can(Capability.APPROVE),
        "can_manage": membership.can(Capability.MANAGE),
    }
