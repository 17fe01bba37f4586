"""Forget cached API key lookups when what they depend on changes (accounts.services).

Covers every path a change can take: services, the admin site, cascades."""

from django.db.models.signals import post_delete, post_save

from accounts.models import APIKey, Membership, User, Workspace
from accounts.services import api_key_cache_forget


def _forget_key(sender, instance: APIKey, **_):
    api_key_cache_forget([instance.prefix])


def _forget_membership_keys(sender, instance: Membership, **_):
    api_key_cache_forget(
        APIKey.objects.filter(user_id=instance.user_id, workspace_id=instance.workspace_id).values_list("prefix", flat=True)
    )


def _forget_user_keys(sender, instance: User, created=False, **_):
    if not created:
        api_key_cache_forget(APIKey.objects.filter(user_id=instance.pk).values_list("prefix", flat=True))


def _forget_workspace_keys(sender, instance: Workspace, created=False, **_):
    if not created:
        api_key_cache_forget(APIKey.objects.filter(workspace_id=instance.pk).values_list("prefix", flat=True))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_forget_key, sender=APIKey, dispatch_uid=f"apikey-forget-key-{signal}")
        signal.connect(_forget_membership_keys, sender=Membership, dispatch_uid=f"apikey-forget-member-{signal}")
    post_save.connect(_forget_user_keys, sender=User, dispatch_uid="apikey-forget-user")
    post_save.connect(_forget_workspace_keys, sender=Workspace, dispatch_uid="apikey-forget-workspace")
