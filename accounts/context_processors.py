from accounts.roles import Capability


def workspace(request):
    membership = getattr(request, "membership", None)
    if not getattr(request, "user", None) or not request.user.is_authenticated or not membership:
        return {"current_workspace": None, "current_membership": None}
    return {
        "current_workspace": membership.workspace,
        "current_membership": membership,
        "can_edit": membership.can(Capability.EDIT),
        "can_approve": membership.can(Capability.APPROVE),
        "can_manage": membership.can(Capability.MANAGE),
    }
