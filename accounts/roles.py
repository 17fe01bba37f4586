"""Roles and what each may do: the one table every permission check reads."""

from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    MARKETER = "marketer", "Marketer"
    APPROVER = "approver", "Approver"
    ADMIN = "admin", "Admin"


class Capability(models.TextChoices):
    VIEW = "view"  # read anything in the workspace
    EDIT = "edit"  # create and change campaigns, strategies, content, leads
    APPROVE = "approve"  # sign off approval scopes
    MANAGE = "manage"  # members, API keys, webhooks, workspace settings


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({Capability.VIEW}),
    Role.MARKETER: frozenset({Capability.VIEW, Capability.EDIT}),
    Role.APPROVER: frozenset({Capability.VIEW, Capability.EDIT, Capability.APPROVE}),
    Role.ADMIN: frozenset({Capability.VIEW, Capability.EDIT, Capability.MANAGE}),
}


def role_can(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
