from approvals.models import ApprovalScope, Scope
from approvals.services import approval_scopes, publish_readiness
from campaigns.models import Campaign, Strategy


def approvals_state(campaign: Campaign) -> dict:
    scopes = approval_scopes(campaign)
    readiness = publish_readiness(campaign, scopes=scopes)
    return {
        "current_version": readiness.strategy_version,
        "scopes": scopes,
        "ready": readiness.ready,
        "blockers": readiness.blockers,
    }


def pending_scopes(workspace):
    """Every scope waiting for a decision in the workspace (the approver inbox)."""
    return (
        ApprovalScope.objects.for_workspace(workspace)
        .filter(status="pending", campaign__active=True)
        .select_related("campaign")
        .order_by("campaign__name", "pk")
    )


def inbox(workspace, *, campaign_id: int | None = None) -> list[dict]:
    """Pending scopes grouped by campaign, each group with the strategy version to review.

    Two queries whatever the number of rows: the pending scopes with their campaigns, and
    the current strategy versions of those campaigns.
    """
    rows = pending_scopes(workspace)
    if campaign_id is not None:
        rows = rows.filter(campaign_id=campaign_id)
    rows = list(rows)
    current: dict[int, Strategy] = {}
    strategies = (
        Strategy.objects.for_workspace(workspace)
        .filter(campaign_id__in={row.campaign_id for row in rows}, invalidated_at__isnull=True)
        .select_related("author")
        .order_by("campaign_id", "-version")
    )
    for strategy in strategies:
        current.setdefault(strategy.campaign_id, strategy)
    groups: dict[int, dict] = {}
    for row in rows:
        group = groups.setdefault(row.campaign_id, {
            "campaign": row.campaign, "strategy": current.get(row.campaign_id), "scopes": [],
        })
        group["scopes"].append(row)
    for group in groups.values():
        group["scopes"].sort(key=lambda row: Scope.values.index(row.scope))
    return list(groups.values())


__all__ = ["approvals_state", "inbox", "pending_scopes"]
