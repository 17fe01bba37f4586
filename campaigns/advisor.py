"""The advisor: what stands between a campaign and publishing, and what to do next.

Rules live here as small named checks. Each app contributes what it knows in its
AppConfig.ready(): a *loader* puts data on the context once (so no check queries again),
a *check* yields findings, an *area* scorer says how complete one area is. Adding a rule
is adding one function.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AdvisorResponse, Campaign, Strategy
from campaigns.selectors import campaign_current_strategy
from campaigns.strategy import completeness

AREAS = ("strategy", "approvals", "content", "schedule", "leads")
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


class Severity(models.TextChoices):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Finding:
    key: str  # stable, so a response to it can be remembered
    area: str
    title: str
    detail: str
    severity: str = Severity.MEDIUM
    blocker: bool = False
    action: str = ""
    url: str = ""
    rank: int = 50  # recommendations: lower comes first

    def as_dict(self) -> dict:
        return {
            "key": self.key, "area": self.area, "title": self.title, "detail": self.detail,
            "severity": self.severity, "action": self.action, "url": self.url,
        }


@dataclass
class AdvisorContext:
    campaign: Campaign
    strategy: Strategy | None
    completeness: dict | None
    data: dict = field(default_factory=dict)

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"pk": self.campaign.pk, **kwargs})


_loaders: dict[str, Callable[[Campaign], object]] = {}
_checks: list[Callable[[AdvisorContext], Iterable[Finding]]] = []
_areas: dict[str, Callable[[AdvisorContext], tuple[int, str]]] = {}


def register_loader(name: str, loader: Callable[["AdvisorContext"], object]) -> None:
    _loaders[name] = loader


def check(fn: Callable[[AdvisorContext], Iterable[Finding]]):
    if fn not in _checks:
        _checks.append(fn)
    return fn


def area(name: str):
    def decorator(fn):
        _areas[name] = fn
        return fn

    return decorator


def build_context(campaign: Campaign) -> AdvisorContext:
    strategy = campaign_current_strategy(campaign)
    ctx = AdvisorContext(campaign=campaign, strategy=strategy,
                         completeness=completeness(strategy) if strategy else None)
    for name, loader in _loaders.items():
        ctx.data[name] = loader(ctx)
    return ctx


def findings(ctx: AdvisorContext) -> list[Finding]:
    return [finding for fn in _checks for finding in fn(ctx)]


def evaluate(ctx: AdvisorContext) -> dict:
    areas = {}
    for name in AREAS:
        scorer = _areas.get(name)
        score, summary = scorer(ctx) if scorer else (0, "Not tracked yet.")
        areas[name] = {"score": score, "summary": summary}
    overall = round(sum(a["score"] for a in areas.values()) / len(areas))
    return {"overall": overall, "areas": areas}


def blockers(ctx: AdvisorContext, found: list[Finding] | None = None) -> list[Finding]:
    found = findings(ctx) if found is None else found
    return sorted((f for f in found if f.blocker), key=lambda f: (SEVERITY_ORDER[f.severity], f.rank))


def recommendations(ctx: AdvisorContext, found: list[Finding] | None = None) -> list[Finding]:
    """Next best actions, minus those the team accepted, dismissed or snoozed."""
    found = findings(ctx) if found is None else found
    silenced = silenced_keys(ctx.campaign)
    ranked = sorted((f for f in found if f.key not in silenced),
                    key=lambda f: (SEVERITY_ORDER[f.severity], f.rank))
    return ranked


def silenced_keys(campaign: Campaign) -> set[str]:
    now = timezone.now()
    latest: dict[str, AdvisorResponse] = {}
    for response in AdvisorResponse.objects.filter(campaign=campaign).order_by("created_at", "pk"):
        latest[response.recommendation_key] = response
    return {
        key for key, response in latest.items()
        if response.response != AdvisorResponse.Kind.SNOOZED or (response.snoozed_until and response.snoozed_until > now)
    }


DEFAULT_SNOOZE = timedelta(days=3)


# --- Strategy rules (this app's own knowledge) ----------------------------------------------

@check
def strategy_exists(ctx: AdvisorContext):
    if ctx.strategy is None:
        yield Finding(
            key="strategy.none", area="strategy", severity=Severity.CRITICAL, blocker=True, rank=0,
            title="No strategy yet",
            detail="Write the first strategy version: audience, goals, platforms, pillars, tone and cadence.",
            action="Write the strategy", url=ctx.url("campaigns:strategy-edit"),
        )


@check
def strategy_fields(ctx: AdvisorContext):
    if ctx.completeness is None:
        return
    for entry in ctx.completeness["missing"]:
        yield Finding(
            key=f"strategy.missing.{entry['field']}", area="strategy", severity=Severity.HIGH, rank=10,
            title=f"Add {entry['label'].lower()}",
            detail=entry["hint"] + (f" Without it: {', '.join(entry['blocks'])}." if entry["blocks"] else ""),
            action="Edit the strategy", url=ctx.url("campaigns:strategy-edit"),
        )
    for entry in ctx.completeness["weak"]:
        yield Finding(
            key=f"strategy.weak.{entry['field']}", area="strategy", severity=Severity.LOW, rank=30,
            title=f"Strengthen {entry['label'].lower()}", detail=entry["hint"],
            action="Edit the strategy", url=ctx.url("campaigns:strategy-edit"),
        )


@area("strategy")
def strategy_area(ctx: AdvisorContext):
    if ctx.completeness is None:
        return 0, "No strategy yet."
    missing = len(ctx.completeness["missing"])
    return ctx.completeness["score"], f"Version {ctx.strategy.version}; {missing} field(s) missing."


def _fields_area(ctx: AdvisorContext, name: str, fields: tuple[str, ...], what: str) -> tuple[int, str]:
    """Until the area's own app tracks it, an area is as ready as the strategy fields it needs."""
    if ctx.strategy is None:
        return 0, "No strategy yet."
    blocked = set(ctx.completeness["blocks"].get(name, []))
    score = round(100 * (len(fields) - len(blocked & set(fields))) / len(fields))
    return score, (f"Strategy gives {what}." if not blocked else f"Strategy lacks {', '.join(sorted(blocked))}.")


@area("content")
def content_area(ctx):
    return _fields_area(ctx, "content", ("content_pillars", "brand_tone", "target_audience", "platforms"),
                        "pillars, tone, audience and platforms")


@area("schedule")
def schedule_area(ctx):
    return _fields_area(ctx, "schedule", ("cadence", "platforms"), "cadence and platforms")


@area("leads")
def leads_area(ctx):
    return _fields_area(ctx, "leads", ("target_audience",), "a target audience")
