from accounts.models import Workspace
from campaigns.models import Campaign, Strategy


def campaign_list(*, workspace: Workspace):
    return Campaign.objects.for_workspace(workspace).select_related("owner")


def strategy_versions(*, campaign: Campaign):
    """Every version of the campaign's strategy, newest first, with who wrote and invalidated it."""
    return (
        Strategy.objects.filter(campaign=campaign)
        .select_related("author", "invalidated_by")
        .order_by("-version")
    )


def campaign_current_strategy(campaign) -> Strategy | None:
    """The campaign's newest valid strategy version, with its author, or None."""
    return (
        Strategy.objects.filter(campaign=campaign, invalidated_at__isnull=True)
        .select_related("author")
        .order_by("-version")
        .first()
    )


def strategy_current(versions) -> Strategy | None:
    """The newest valid version among `versions` (already loaded, newest first)."""
    return next((version for version in versions if version.is_valid), None)
