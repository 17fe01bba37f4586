"""What the approvals app tells the advisor: gate blockers and the approvals area."""

from approvals.models import ApprovalStatus
from approvals.services import approval_scopes, publish_readiness
from campaigns.advisor import AdvisorContext, Finding, Severity, area, check, register_loader

_SEVERITY = {
    "scope_rejected": Severity.CRITICAL,
    "campaign_archived": Severity.HIGH,
    "approvals_not_initialized": Severity.HIGH,
    "scope_stale": Severity.HIGH,
    "scope_pending": Severity.MEDIUM,
    "already_published": Severity.LOW,
}
_ACTION = {
    "scope_rejected": "Fix and resubmit",
    "campaign_archived": "Reactivate the campaign",
    "approvals_not_initialized": "Set up approvals",
    "scope_stale": "Ask for a new approval",
    "scope_pending": "Ask an approver",
    "already_published": "Save a new version to publish again",
}


def _load(ctx: AdvisorContext):
    scopes = approval_scopes(ctx.campaign)
    return {"readiness": publish_readiness(ctx.campaign, strategy=ctx.strategy, scopes=scopes), "scopes": scopes}


register_loader("approvals", _load)


@check
def gate_blockers(ctx: AdvisorContext):
    for blocker in ctx.data["approvals"]["readiness"].blockers:
        if blocker["code"] == "no_strategy":
            continue  # the strategy rules say this, with a better action
        scope = blocker["scope"]
        yield Finding(
            key=f"approvals.{blocker['code']}" + (f".{scope}" if scope else ""),
            area="approvals", severity=_SEVERITY.get(blocker["code"], Severity.MEDIUM), blocker=True, rank=5,
            title=blocker["reason"], detail=_detail(blocker["code"]), action=_ACTION.get(blocker["code"], "Open"),
            url=ctx.url("campaigns:detail" if blocker["code"] == "campaign_archived" else "campaigns:approvals"),
        )


@check
def ready_to_publish(ctx: AdvisorContext):
    readiness = ctx.data["approvals"]["readiness"]
    if readiness.ready:
        yield Finding(
            key=f"approvals.publish.v{readiness.strategy_version}", area="approvals", severity=Severity.LOW, rank=0,
            title="Ready to publish", detail=f"Every required scope is approved for version {readiness.strategy_version}.",
            action="Publish", url=ctx.url("campaigns:approvals"),
        )


def _detail(code: str) -> str:
    return {
        "scope_rejected": "An approver rejected this scope. Read the comment, change what they asked, and save a new strategy version or ask again.",
        "scope_pending": "An approver must sign this scope off against the current strategy version.",
        "scope_stale": "The approval was given for an older version, so it does not count.",
        "approvals_not_initialized": "Choose which scopes (strategy, content, schedule, ads) this campaign needs approved.",
        "campaign_archived": "Archived campaigns cannot be published.",
        "already_published": "This version is live.",
    }.get(code, "")


@area("approvals")
def approvals_area(ctx: AdvisorContext):
    scopes = ctx.data["approvals"]["scopes"]
    if not scopes:
        return 0, "Approvals are not set up."
    version = ctx.strategy.version if ctx.strategy else None
    approved = [s for s in scopes if s.status == ApprovalStatus.APPROVED and s.strategy_version == version]
    return round(100 * len(approved) / len(scopes)), f"{len(approved)} of {len(scopes)} scopes approved."
