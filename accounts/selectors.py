from accounts.models import Membership, User, Workspace


def membership_for(*, user: User, workspace: Workspace | None = None, slug: str | None = None,
                   workspace_id: int | None = None) -> Membership | None:
    """The user's membership in the given workspace, or their first one when none is named."""
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("workspace", "user").filter(user=user)
    if workspace is not None:
        memberships = memberships.filter(workspace=workspace)
    elif slug is not None:
        memberships = memberships.filter(workspace__slug=slug)
    elif workspace_id is not None:
        memberships = memberships.filter(workspace_id=workspace_id)
    return memberships.order_by("created_at", "pk").first()


def memberships_of(user: User) -> list[Membership]:
    return list(Membership.objects.select_related("workspace").filter(user=user).order_by("workspace__name"))
