from django.conf import settings
from django.db import models

from accounts.models import WorkspaceOwned
from campaigns.models import Campaign


class Scope(models.TextChoices):
    STRATEGY = "strategy", "Strategy"
    CONTENT = "content", "Content"
    SCHEDULE = "schedule", "Schedule"
    ADS = "ads", "Ads"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ApprovalScope(WorkspaceOwned):
    """One scope a campaign needs signed off, and where it stands now.

    `status` and `strategy_version` describe the latest decision; a decision counts only
    while `strategy_version` is the campaign's current strategy version, and a new version
    puts every scope back to pending (with an audit row saying why).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="approval_scopes")
    scope = models.CharField(max_length=16, choices=Scope.choices)
    status = models.CharField(max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    strategy_version = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "scope"], name="approval_scope_unique_per_campaign"),
            models.CheckConstraint(condition=models.Q(scope__in=Scope.values), name="approval_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.scope} · {self.status}"


class DecisionKind(models.TextChoices):
    REQUIRED = "required", "Required"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RESET = "reset", "Reset"
    REMOVED = "removed", "No longer required"


class ApprovalDecision(WorkspaceOwned):
    """The audit trail: one immutable row per decision or reset, never edited or deleted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="approval_decisions")
    scope = models.CharField(max_length=16, choices=Scope.choices)
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    strategy_version = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.scope} · {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Approval decisions are an audit trail and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Approval decisions are an audit trail and cannot be deleted.")


class Publication(WorkspaceOwned):
    """A campaign published against one strategy version with every required scope approved."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="publications")
    strategy_version = models.PositiveIntegerField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approvals = models.JSONField(default=dict, help_text="The scope decisions the gate accepted.")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
