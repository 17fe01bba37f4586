from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from accounts.models import WorkspaceOwned


class LifecycleState(models.TextChoices):
    """Where a campaign stands; the Lifecycle app drives the transitions."""

    DRAFT = "draft", "Draft"
    RADAR = "radar", "Radar"
    STRATEGY = "strategy", "Strategy"
    CONTENT = "content", "Content"
    PRODUCTION = "production", "Production"
    AUDIT = "audit", "Audit"
    PUBLISH = "publish", "Publish"
    LEARN = "learn", "Learn"


class Campaign(WorkspaceOwned):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    target_niche = models.CharField(max_length=200, blank=True)
    service = models.CharField(max_length=200, blank=True, help_text="What the campaign sells.")
    target_clients = models.PositiveIntegerField(null=True, blank=True)
    target_mrr = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    active = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifecycle_state = models.CharField(
        max_length=16, choices=LifecycleState.choices, default=LifecycleState.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "active", "-updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_mrr__isnull=True) | models.Q(target_mrr__gte=0),
                name="campaign_target_mrr_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name
