"""Approval scopes, decisions and the publish gate.

Every write that depends on "the current strategy version" locks the campaign row first.
Saving a strategy version locks it too (campaigns.services.strategy_version_create), so an
approval, a publish and a new version never interleave: an approval lands either before
the new version (and is reset by it) or after it (and is recorded against it).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from approvals.models import (
    ApprovalDecision,
    ApprovalScope,
    ApprovalStatus,
    DecisionKind,
    Publication,
    Scope,
)
from campaigns.models import Campaign
from campaigns.selectors import campaign_current_strategy
from core.api.problems import Problem
from core.domain_events import (
    CampaignPublished,
    StrategyVersionCreated,
    StrategyVersionInvalidated,
    emit,
)

DEFAULT_SCOPES = tuple(Scope.values)


def approval_scopes(campaign: Campaign) -> list[ApprovalScope]:
    """The campaign's required scopes, in scope order, with who decided them."""
    rows = ApprovalScope.objects.filter(campaign=campaign).select_related("decided_by")
    return sorted(rows, key=lambda row: Scope.values.index(row.scope))


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("workspace").get(pk=campaign.pk)


def approvals_initialize(*, campaign: Campaign, scopes: list[str] | None, by: User | None) -> list[ApprovalScope]:
    """Make `scopes` (default: all four) the ones this campaign needs approved."""
    wanted = list(dict.fromkeys(scopes or DEFAULT_SCOPES))
    unknown = [s for s in wanted if s not in Scope.values]
    if unknown:
        raise Problem(400, "Unknown scope", detail=f"Unknown approval scope: {', '.join(unknown)}.",
                      errors={"scopes": [f"Choose from {', '.join(Scope.values)}."]})
    with transaction.atomic():
        campaign = _lock(campaign)
        existing = {row.scope: row for row in ApprovalScope.objects.filter(campaign=campaign)}
        for scope in wanted:
            if scope not in existing:
                existing[scope] = ApprovalScope.objects.create(
                    workspace_id=campaign.workspace_id, campaign=campaign, scope=scope
                )
                _audit(campaign, scope, DecisionKind.REQUIRED, by=by)
        for scope, row in list(existing.items()):
            if scope not in wanted:
                row.delete()
                del existing[scope]
                _audit(campaign, scope, DecisionKind.REMOVED, by=by)
    return sorted(existing.values(), key=lambda row: Scope.values.index(row.scope))


def approval_decide(
    *, campaign: Campaign, scope: str, approve: bool, user: User, comment: str = "",
    expected_version: int | None = None,
) -> ApprovalScope:
    """Approve or reject `scope` against the campaign's current strategy version."""
    if scope not in Scope.values:
        raise Problem(404, "Unknown scope", detail=f"There is no approval scope {scope!r}.")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise Problem(400, "Comment required", detail="Say why you reject, so the team can fix it.",
                      errors={"comment": ["A rejection needs a comment."]})
    with transaction.atomic():
        campaign = _lock(campaign)
        row = ApprovalScope.objects.select_for_update().filter(campaign=campaign, scope=scope).first()
        if row is None:
            raise Problem(409, "Scope not required",
                          detail=f"This campaign does not require {scope} approval; initialize approvals first.")
        strategy = campaign_current_strategy(campaign)
        if strategy is None:
            raise Problem(409, "No strategy", detail="There is no valid strategy version to decide on.")
        if expected_version is not None and expected_version != strategy.version:
            raise Problem(409, "Strategy changed", type_="stale-strategy-version",
                          detail=f"You reviewed version {expected_version}, but the current version is "
                                 f"{strategy.version}. Review it and decide again.",
                          current_version=strategy.version)
        if (approve and scope == Scope.STRATEGY and strategy.author_id == user.pk
                and not campaign.workspace.allow_self_approval):
            raise Problem(403, "Own strategy", type_="self-approval",
                          detail="You wrote this strategy version; another approver must approve it.")
        status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        if row.status == status and row.strategy_version == strategy.version:
            raise Problem(409, f"Already {status}",
                          detail=f"{scope.title()} is already {status} for version {strategy.version}.")
        row.status, row.strategy_version = status, strategy.version
        row.decided_by, row.decided_at, row.comment = user, timezone.now(), comment
        row.save(update_fields=["status", "strategy_version", "decided_by", "decided_at", "comment"])
        _audit(campaign, scope, DecisionKind.APPROVED if approve else DecisionKind.REJECTED,
               by=user, version=strategy.version, comment=comment)
    return row


def _audit(campaign, scope, kind, *, by=None, version=None, comment=""):
    ApprovalDecision.objects.create(
        workspace_id=campaign.workspace_id, campaign_id=campaign.pk, scope=scope, kind=kind,
        strategy_version=version, actor=by, comment=comment,
    )


def _reset_scopes(*, campaign_id: int, workspace_id: int, reason: str, by_id: int | None) -> None:
    decided = ApprovalScope.objects.filter(campaign_id=campaign_id).exclude(
        status=ApprovalStatus.PENDING, strategy_version__isnull=True
    )
    for row in decided:
        ApprovalDecision.objects.create(
            workspace_id=workspace_id, campaign_id=campaign_id, scope=row.scope, kind=DecisionKind.RESET,
            strategy_version=row.strategy_version, actor_id=by_id,
            comment=f"{row.get_status_display()} decision no longer counts: {reason}",
        )
    decided.update(status=ApprovalStatus.PENDING, strategy_version=None, decided_by=None, decided_at=None, comment="")


def on_strategy_version_created(event: StrategyVersionCreated) -> None:
    if event.previous_version is None:
        return
    _reset_scopes(campaign_id=event.campaign_id, workspace_id=event.workspace_id, by_id=event.author_id,
                  reason=f"strategy version {event.previous_version} was superseded by version {event.version}.")


def on_strategy_version_invalidated(event: StrategyVersionInvalidated) -> None:
    _reset_scopes(campaign_id=event.campaign_id, workspace_id=event.workspace_id, by_id=event.by_id,
                  reason=f"strategy version {event.version} was invalidated ({event.reason.rstrip('.')}).")


# --- Publish gate --------------------------------------------------------------------------

@dataclass
class Readiness:
    ready: bool
    strategy_version: int | None
    blockers: list[dict] = field(default_factory=list)


_UNSET = object()


def publish_readiness(campaign: Campaign, *, strategy=_UNSET, scopes=None) -> Readiness:
    """Whether `campaign` can be published now, and if not, why. Callers that already hold
    the current strategy or the approval scopes pass them in rather than load them again."""
    blockers = []
    if strategy is _UNSET:
        strategy = campaign_current_strategy(campaign)
    if not campaign.active:
        blockers.append({"code": "campaign_archived", "scope": None,
                         "reason": "The campaign is archived; reactivate it to publish."})
    if strategy is None:
        blockers.append({"code": "no_strategy", "scope": None,
                         "reason": "There is no valid strategy version; save one first."})
    if scopes is None:
        scopes = approval_scopes(campaign)
    if not scopes:
        blockers.append({"code": "approvals_not_initialized", "scope": None,
                         "reason": "Approvals are not set up; choose the scopes this campaign needs."})
    for row in sorted(scopes, key=lambda r: Scope.values.index(r.scope)):
        label = row.get_scope_display()
        if row.status == ApprovalStatus.REJECTED:
            who = row.decided_by.username if row.decided_by else "an approver"
            blockers.append({"code": "scope_rejected", "scope": row.scope,
                             "reason": f"{label} was rejected by {who}: {row.comment}"})
        elif row.status != ApprovalStatus.APPROVED:
            blockers.append({"code": "scope_pending", "scope": row.scope,
                             "reason": f"{label} approval is pending."})
        elif strategy is not None and row.strategy_version != strategy.version:
            blockers.append({"code": "scope_stale", "scope": row.scope,
                             "reason": f"{label} was approved for version {row.strategy_version}, "
                                       f"not the current version {strategy.version}."})
    if strategy is not None and campaign.published_strategy_version == strategy.version:
        blockers.append({"code": "already_published", "scope": None,
                         "reason": f"Version {strategy.version} is already published."})
    return Readiness(ready=not blockers, strategy_version=strategy.version if strategy else None, blockers=blockers)


def campaign_publish(*, campaign: Campaign, by: User | None) -> Publication:
    with transaction.atomic():
        campaign = _lock(campaign)
        readiness = publish_readiness(campaign)
        if not readiness.ready:
            raise Problem(409, "Not ready to publish", type_="publish-blocked",
                          detail="; ".join(b["reason"] for b in readiness.blockers), blockers=readiness.blockers)
        approvals = {
            row.scope: {"version": row.strategy_version, "by": row.decided_by_id, "at": row.decided_at.isoformat()}
            for row in ApprovalScope.objects.filter(campaign=campaign)
        }
        publication = Publication.objects.create(
            workspace_id=campaign.workspace_id, campaign=campaign, strategy_version=readiness.strategy_version,
            published_by=by, approvals=approvals,
        )
        Campaign.objects.filter(pk=campaign.pk).update(
            published_at=publication.published_at, published_strategy_version=readiness.strategy_version,
            updated_at=timezone.now(),
        )
        emit(CampaignPublished(workspace_id=campaign.workspace_id, campaign_id=campaign.pk,
                               strategy_version=readiness.strategy_version, by_id=by.pk if by else None))
    return publication
