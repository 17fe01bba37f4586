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
    published_at = models.DateTimeField(null=True, blank=True)
    published_strategy_version = models.PositiveIntegerField(null=True, blank=True)
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


class Strategy(WorkspaceOwned):
    """One immutable version of a campaign's strategy.

    Versions count up per campaign without gaps; the current strategy is the newest
    version that has not been invalidated. Saving a new version invalidates the previous
    one (services.strategy_version_create), which resets the approvals given against it.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="strategies")
    version = models.PositiveIntegerField()
    platforms = models.JSONField(default=list, blank=True)
    goals = models.JSONField(default=list, blank=True)
    target_audience = models.TextField(blank=True, max_length=2000)
    content_pillars = models.JSONField(default=list, blank=True)
    brand_tone = models.CharField(max_length=300, blank=True)
    constraints = models.TextField(blank=True, max_length=2000)
    cadence = models.CharField(max_length=200, blank=True)
    ads_config = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidation_reason = models.CharField(max_length=500, blank=True)
    invalidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    CONTENT_FIELDS = (
        "platforms", "goals", "target_audience", "content_pillars", "brand_tone", "constraints",
        "cadence", "ads_config",
    )

    class Meta:
        ordering = ["campaign_id", "-version"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="strategy_version_unique_per_campaign"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="strategy_version_positive"),
            models.CheckConstraint(
                condition=models.Q(invalidated_at__isnull=True) | ~models.Q(invalidation_reason=""),
                name="strategy_invalidation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} v{self.version}"

    @property
    def is_valid(self) -> bool:
        return self.invalidated_at is None

    _MUTABLE_FIELDS = frozenset({"invalidated_at", "invalidation_reason", "invalidated_by"})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self._MUTABLE_FIELDS:
                raise ValueError("A strategy version is immutable; save a new version instead.")
        super().save(*args, **kwargs)


class AdvisorResponse(WorkspaceOwned):
    """What someone did with a recommendation, so the advisor doesn't repeat it."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"
        SNOOZED = "snoozed", "Snoozed"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="advisor_responses")
    recommendation_key = models.CharField(max_length=120)
    response = models.CharField(max_length=16, choices=Kind.choices)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "recommendation_key"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(response="snoozed") | models.Q(snoozed_until__isnull=False),
                name="advisor_snooze_has_end",
            ),
        ]
