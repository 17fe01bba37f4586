import hashlib
import hmac

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from accounts.roles import Capability, Role, role_can

__all__ = ["APIKey", "Capability", "Membership", "Role", "User", "Workspace", "WorkspaceOwned"]


class User(AbstractUser):
    """A person. What they may do depends on their Membership in each workspace."""


class Workspace(models.Model):
    """A tenant: one team's campaigns, leads, content and people."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=50, unique=True)
    allow_self_approval = models.BooleanField(
        default=False, help_text="Let an approver approve a strategy version they authored."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkspaceQuerySet(models.QuerySet):
    def for_workspace(self, workspace: Workspace) -> "WorkspaceQuerySet":
        """The one way to scope rows to a tenant (used by every view and viewset)."""
        return self.filter(workspace=workspace)


class WorkspaceOwned(models.Model):
    """Base of every domain model: each row belongs to exactly one workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True


class Membership(WorkspaceOwned):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user_per_workspace"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    def can(self, capability: str) -> bool:
        return role_can(self.role, capability)


class APIKeyQuerySet(WorkspaceQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class APIKey(WorkspaceOwned):
    """A workspace API key. Only its SHA-256 is stored; the key is shown once, at creation.

    Keys look like `ld_<prefix>_<secret>`: the prefix finds the row, the hash proves the
    secret. A key acts as its user, with that user's role in the workspace.
    """

    PREFIX_LENGTH = 8

    name = models.CharField(max_length=100)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = APIKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} (ld_{self.prefix}_…)"

    @staticmethod
    def hash_secret(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    def matches(self, raw_key: str) -> bool:
        return hmac.compare_digest(self.key_hash, self.hash_secret(raw_key))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def display(self) -> str:
        return f"ld_{self.prefix}_…"

    def touch(self, *, min_interval_seconds: int = 60) -> bool:
        """Record use, at most once a minute, so busy keys don't write on every request.
        Says whether it wrote."""
        now = timezone.now()
        if self.last_used_at and (now - self.last_used_at).total_seconds() < min_interval_seconds:
            return False
        APIKey.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now
        return True
