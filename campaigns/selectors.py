from accounts.models import Workspace
from campaigns.models import Campaign


def campaign_list(*, workspace: Workspace):
    return Campaign.objects.for_workspace(workspace).select_related("owner")
