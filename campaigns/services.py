from accounts.models import User, Workspace
from campaigns.models import Campaign

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
