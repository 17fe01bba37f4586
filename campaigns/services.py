from django.db import transaction
from django.utils import timezone

from accounts.models import User, Workspace
from campaigns.models import AdvisorResponse, Campaign, Strategy
from core.api.problems import Problem
from core.domain_events import StrategyVersionCreated, StrategyVersionInvalidated, emit

CAMPAIGN_FIELDS = ("name", "description", "target_niche", "service", "target_clients", "target_mrr", "active")


def campaign_create(*, workspace: Workspace, owner: User | None, **fields) -> Campaign:
    campaign = Campaign(workspace=workspace, owner=owner, **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    campaign.full_clean()
    campaign.save()
    return campaign


def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    changed = [name for name in CAMPAIGN_FIELDS if name in fields]
    for name in changed:
        setattr(campaign, name, fields[name])
    campaign.full_clean()
    campaign.save(update_fields=[*changed, "updated_at"])
    return campaign


def campaign_archive(*, campaign: Campaign) -> Campaign:
    return campaign_update(campaign=campaign, active=False)


# --- Strategies ----------------------------------------------------------------------------

def strategy_version_create(*, campaign: Campaign, data: dict, author: User | None) -> Strategy:
    """Save `data` as the campaign's next strategy version.

    The campaign row is locked while the number is chosen, so concurrent saves get
    consecutive numbers; the unique constraint backs this up. The previous valid version
    is invalidated, and subscribers (approvals) reset what was decided against it.
    """
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        previous = Strategy.objects.filter(campaign=locked).order_by("-version").first()
        version = (previous.version if previous else 0) + 1
        strategy = Strategy(
            workspace_id=locked.workspace_id, campaign=locked, version=version, author=author,
            **{name: data[name] for name in Strategy.CONTENT_FIELDS if name in data},
        )
        strategy.full_clean(exclude=["campaign", "workspace"])
        strategy.save()
        if previous is not None and previous.is_valid:
            previous.invalidated_at = timezone.now()
            previous.invalidation_reason = f"Superseded by version {version}."
            previous.invalidated_by = author
            previous.save(update_fields=["invalidated_at", "invalidation_reason", "invalidated_by"])
        Campaign.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        emit(StrategyVersionCreated(
            workspace_id=locked.workspace_id, campaign_id=locked.pk, version=version,
            previous_version=previous.version if previous else None, author_id=author.pk if author else None,
        ))
    return strategy


def strategy_invalidate(*, strategy: Strategy, reason: str, by: User | None) -> Strategy:
    reason = (reason or "").strip()
    if not reason:
        raise Problem(400, "Reason required", detail="Say why this version is invalid.", errors={"reason": ["This field is required."]})
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=strategy.campaign_id)
        strategy = Strategy.objects.get(pk=strategy.pk)
        if not strategy.is_valid:
            raise Problem(409, "Already invalid", detail=f"Version {strategy.version} was already invalidated: {strategy.invalidation_reason}")
        strategy.invalidated_at = timezone.now()
        strategy.invalidation_reason = reason[:500]
        strategy.invalidated_by = by
        strategy.save(update_fields=["invalidated_at", "invalidation_reason", "invalidated_by"])
        emit(StrategyVersionInvalidated(
            workspace_id=strategy.workspace_id, campaign_id=strategy.campaign_id, version=strategy.version,
            reason=strategy.invalidation_reason, by_id=by.pk if by else None,
        ))
    return strategy


def advisor_response_record(*, campaign: Campaign, key: str, response: str, user: User | None,
                            snoozed_until=None):
    return AdvisorResponse.objects.create(
        workspace_id=campaign.workspace_id, campaign=campaign, recommendation_key=key, response=response,
        snoozed_until=snoozed_until, user=user,
    )
