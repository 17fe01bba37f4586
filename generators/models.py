from django.conf import settings
from django.db import models

from accounts.models import WorkspaceOwned
from generators.types import PARTS


class GenerationKind(models.TextChoices):
    POSITIONING = "positioning", "Positioning canvas"
    EMAIL_PACK = "email_pack", "Email pack"
    ENRICHMENT = "enrichment", "Enrichment blueprint"
    COMPLETE = "complete", "Complete package"


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    PARTIAL = "partial", "Partial"
    FAILED = "failed", "Failed"


class GenerationICPSource(models.TextChoices):
    PROVIDED = "provided", "Provided"
    INFERRED = "inferred", "Inferred"


class Generation(WorkspaceOwned):
    """One request to turn a website (and optionally an ICP) into assets.

    Records its inputs, the writer that produced it, each part's status and the result,
    whether it came from the cache, and how long it took. Its events (GenerationEvent) are
    what the websocket and SSE streams replay to a late subscriber.
    """

    Kind = GenerationKind
    Status = GenerationStatus
    ICPSource = GenerationICPSource

    FINISHED = (Status.COMPLETED, Status.PARTIAL, Status.FAILED)

    kind = models.CharField(max_length=16, choices=Kind.choices)
    website = models.URLField(max_length=500, help_text="Normalised: scheme, lower-case host, no fragment.")
    icp_input = models.JSONField(null=True, blank=True, help_text="The ICP as provided, validated; null to infer.")
    icp_source = models.CharField(max_length=8, choices=ICPSource.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="generations"
    )
    writer_name = models.CharField(max_length=40)
    writer_version = models.CharField(max_length=40)
    refresh = models.BooleanField(default=False, help_text="Bypass the cache for this request.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    parts = models.JSONField(default=dict, blank=True, help_text="part → {status, error, duration_ms}")
    result = models.JSONField(default=dict, blank=True, help_text="part → output, plus facts and icp")
    cache_key = models.CharField(max_length=80)
    cache_hit = models.BooleanField(default=False)
    error = models.JSONField(null=True, blank=True, help_text="Why the whole generation failed: {code, detail, missing}.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="generation_ws_recent"),
            models.Index(fields=["workspace", "kind", "-created_at"], name="generation_ws_kind_recent"),
            models.Index(fields=["workspace", "status", "-created_at"], name="generation_ws_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=GenerationKind.values), name="generation_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=GenerationStatus.values), name="generation_status_valid"),
            models.CheckConstraint(
                condition=models.Q(icp_source__in=GenerationICPSource.values), name="generation_icp_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.website}"

    @property
    def part_names(self) -> tuple[str, ...]:
        """The parts this generation produces, in display order."""
        return PARTS if self.kind == self.Kind.COMPLETE else (self.kind,)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class GenerationEvent(WorkspaceOwned):
    """One event of a generation, numbered from 1 without gaps, in the order it was sent."""

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["generation_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "seq"], name="generation_event_seq_unique"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="generation_event_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.generation_id}#{self.seq} {self.type}"

    def envelope(self) -> dict:
        """The wire form shared by the websocket and SSE: core.events envelope plus seq."""
        return {"type": self.type, "payload": self.payload, "at": self.created_at.isoformat(), "seq": self.seq}
