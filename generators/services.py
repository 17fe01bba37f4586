"""Generation: create a request, run it, cache it, and tell subscribers as it goes.

A run reads the site and settles the ICP once, then writes the requested parts concurrently,
one thread each. Part threads never touch the database: they put their events and outcomes
on a queue, and the run's own thread stores and publishes them in order. That keeps the
event numbering (`seq`) gap-free without locks across processes, and keeps every write on
the connection (and, in tests, the transaction) that created the generation.
"""

import hashlib
import json
import logging
import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Max
from django.utils import timezone
from rest_framework import serializers

from accounts.models import User, Workspace
from campaigns.models import Campaign, Strategy
from campaigns.services import strategy_version_create
from core.events import publish_many
from generators.enrichment import enrich_domain
from generators.events import cache_hit_envelopes, generation_group
from generators.icp import icp_from_input, icp_infer
from generators.models import Generation, GenerationEvent
from generators.schemas import error_paths, validate_part
from generators.site_reader import normalize_site_url, read_site
from generators.types import ICP, ICP_FIELDS, InsufficientInformation, PartFailed, SiteFacts
from generators.writers import WriterUnavailable, get_writer

logger = logging.getLogger(__name__)

_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


# --- Input ------------------------------------------------------------------------------

def normalise_website(raw: str) -> str:
    """`Example.com/#top` → `https://example.com/`: one spelling per site, for records and the
    cache, the same one the site reader fetches. Raises ValueError with a message for the
    person who typed it."""
    try:
        url = normalize_site_url(raw)
    except InsufficientInformation as exc:
        raise ValueError(exc.detail) from exc
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValueError("Leave the user name and password out of the address.")
    host = parts.hostname or ""
    is_ip = ":" in host or host.replace(".", "").isdigit()
    if not (is_ip or host == "localhost" or ("." in host and _HOST.match(host))):
        raise ValueError(f"{raw.strip()} is not a website address.")
    return url


def clean_icp_input(icp: dict | None) -> dict | None:
    """The provided ICP without blank values; None when nothing was provided (infer it)."""
    if not icp:
        return None
    cleaned = {}
    for name in ICP_FIELDS:
        values = [" ".join(str(v).split()) for v in icp.get(name) or []]
        cleaned[name] = list(dict.fromkeys(v for v in values if v))
    return cleaned if any(cleaned.values()) else None


def generation_cache_key(*, website: str, icp_input: dict | None, kind: str, writer_name: str,
                         writer_version: str) -> str:
    """Same site, same ICP (ignoring case, spacing and order), same kind and writer → same key."""
    icp = None
    if icp_input:
        icp = {name: sorted(v.casefold() for v in icp_input.get(name, [])) for name in ICP_FIELDS}
    material = json.dumps(
        {"url": website, "icp": icp, "kind": kind, "writer": writer_name, "version": writer_version},
        sort_keys=True, separators=(",", ":"),
    )
    return "generation:" + hashlib.sha256(material.encode()).hexdigest()


def generation_create(*, workspace: Workspace, user: User | None, kind: str, website: str,
                      icp: dict | None = None, campaign: Campaign | None = None, writer: str = "template",
                      refresh: bool = False) -> Generation:
    """Record a generation request: queued for `generation_run`, or already completed when the
    cache holds the answer (unless `refresh`)."""
    try:
        website = normalise_website(website)
    except ValueError as exc:
        raise ValidationError({"website": [str(exc)]}) from exc
    if campaign is not None and campaign.workspace_id != workspace.pk:
        raise ValidationError({"campaign": ["No such campaign in this workspace."]})
    if kind not in Generation.Kind.values:
        raise ValidationError({"kind": [f"Choose one of {', '.join(Generation.Kind.values)}."]})
    try:
        writer_impl = get_writer(writer)
    except WriterUnavailable as exc:
        raise ValidationError({"writer": [str(exc)]}) from exc
    icp_input = clean_icp_input(icp)
    generation = Generation(
        workspace=workspace, created_by=user, kind=kind, website=website, icp_input=icp_input,
        icp_source=Generation.ICPSource.PROVIDED if icp_input else Generation.ICPSource.INFERRED,
        campaign=campaign, writer_name=writer_impl.name, writer_version=str(writer_impl.version),
        refresh=refresh,
        cache_key=generation_cache_key(website=website, icp_input=icp_input, kind=kind,
                                       writer_name=writer_impl.name, writer_version=str(writer_impl.version)),
    )
    # The check constraints are the database's to enforce; validating them here costs a query each.
    generation.full_clean(exclude=["workspace", "campaign", "created_by"], validate_constraints=False)
    cached = None if refresh else cache.get(generation.cache_key)
    if cached is not None:
        # Answered from the cache at once: the record is written finished, in one INSERT. It is
        # new, so no one can be subscribed yet; its events are derived for whoever asks.
        generation.started_at = timezone.now()
        _complete_from_cache(generation, cached)
    generation.save()
    return generation


# --- Events -------------------------------------------------------------------------------

class EventLog:
    """Stores a generation's events with consecutive sequence numbers, then publishes them.

    Only the run's own thread calls it; the lock makes a stray concurrent caller safe too.
    """

    def __init__(self, generation: Generation, *, last_seq: int | None = None):
        self.generation = generation
        self.group = generation_group(generation.pk)
        self._lock = threading.Lock()
        if last_seq is None:
            last_seq = GenerationEvent.objects.filter(generation=generation).aggregate(last=Max("seq"))["last"] or 0
        self._seq = last_seq

    def emit(self, event_type: str, payload: dict) -> None:
        self.emit_many([(event_type, payload)])

    def emit_many(self, events: list[tuple[str, dict]]) -> None:
        if not events:
            return
        with self._lock:
            rows = []
            for event_type, payload in events:
                self._seq += 1
                rows.append(GenerationEvent(
                    workspace_id=self.generation.workspace_id, generation=self.generation, seq=self._seq,
                    type=event_type, payload=payload,
                ))
            GenerationEvent.objects.bulk_create(rows)
        try:
            publish_many(self.group, [row.envelope() for row in rows])
        except Exception:
            # The events are stored: SSE and a reconnecting socket still get them.
            logger.exception("could not publish events of generation %s", self.generation.pk)


def _coalesce_deltas(events: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Adjacent deltas of one part become one event: fewer rows, same text, same order."""
    merged: list[tuple[str, dict]] = []
    for event_type, payload in events:
        if (event_type == "part.delta" and merged and merged[-1][0] == "part.delta"
                and merged[-1][1]["part"] == payload["part"]):
            merged[-1] = (event_type, {"part": payload["part"], "text": merged[-1][1]["text"] + payload["text"]})
        else:
            merged.append((event_type, payload))
    return merged


# --- Running -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _PartOutcome:
    part: str
    duration_ms: int
    result: dict | None = None
    error: dict | None = None


def generation_run(generation: Generation | int) -> Generation:
    """Produce a queued generation: from the cache, or by reading the site and writing parts.

    Takes the generation (the API, which just created it) or its id (a task)."""
    if not isinstance(generation, Generation):
        generation = Generation.objects.select_related("created_by").get(pk=generation)
    if generation.status != Generation.Status.QUEUED:
        return generation  # a redelivered task must not run (and number events) twice
    generation.started_at = timezone.now()
    cached = None if generation.refresh else cache.get(generation.cache_key)
    if cached is not None:
        return _finish_from_cache(generation, cached)
    generation.status = Generation.Status.RUNNING
    generation.parts = {part: {"status": "queued", "error": None, "duration_ms": None}
                        for part in generation.part_names}
    generation.save(update_fields=["status", "started_at", "parts"])
    log = EventLog(generation, last_seq=0)  # a queued generation has no events yet
    log.emit("generation.started", {
        "generation_id": generation.pk, "parts": list(generation.part_names),
        "icp_source": generation.icp_source, "writer": generation.writer_name,
    })
    try:
        facts = read_site(generation.website)
        icp = icp_from_input(generation.icp_input) if generation.icp_input else icp_infer(facts)
    except InsufficientInformation as exc:
        error = {"code": "insufficient_information", "detail": exc.detail, "missing": list(exc.missing)}
        generation.parts = {part: {"status": "failed", "error": error, "duration_ms": None} for part in generation.parts}
        return _finish(generation, log, status=Generation.Status.FAILED, error=error)
    except Exception:
        _finish(generation, log, status=Generation.Status.FAILED, error=_internal_error())
        raise

    # Through JSON, so the object in hand equals what the database holds (tuples → lists).
    generation.result = json.loads(json.dumps({"facts": facts_summary(facts), "icp": icp.as_dict()}))
    generation.save(update_fields=["result"])
    _run_parts(generation, log, facts=facts, icp=icp)

    statuses = {state["status"] for state in generation.parts.values()}
    if statuses == {"completed"}:
        status = Generation.Status.COMPLETED
        _cache_store(generation)
    else:
        status = Generation.Status.PARTIAL if "completed" in statuses else Generation.Status.FAILED
    return _finish(generation, log, status=status)


def _run_parts(generation: Generation, log: EventLog, *, facts: SiteFacts, icp: ICP) -> None:
    """Each part in its own thread; this thread stores what they report, as it arrives."""
    writer = get_writer(generation.writer_name)
    outbox: queue.Queue = queue.Queue()

    def run_part(part: str) -> None:
        outbox.put(("part.started", {"part": part}))
        started = time.monotonic()
        try:
            result = _write_part(part, writer=writer, facts=facts, icp=icp,
                                 emit_delta=lambda text: outbox.put(("part.delta", {"part": part, "text": text})))
        except Exception as exc:
            outbox.put(_PartOutcome(part, _ms_since(started), error=_part_error(part, exc)))
        else:
            outbox.put(_PartOutcome(part, _ms_since(started), result=result))
        finally:
            connections.close_all()  # a writer or provider that touched the database

    parts = generation.part_names
    with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix=f"generation-{generation.pk}") as pool:
        for part in parts:
            pool.submit(run_part, part)
        remaining = len(parts)
        while remaining:
            batch = [outbox.get()]
            while True:
                try:
                    batch.append(outbox.get_nowait())
                except queue.Empty:
                    break
            events = []
            outcomes = [item for item in batch if isinstance(item, _PartOutcome)]
            for item in batch:
                events.append(_outcome_event(item) if isinstance(item, _PartOutcome) else item)
            if outcomes:
                _record_outcomes(generation, outcomes)  # saved before subscribers hear of them
                remaining -= len(outcomes)
            log.emit_many(_coalesce_deltas(events))


def _write_part(part: str, *, writer, facts: SiteFacts, icp: ICP, emit_delta: Callable[[str], None]) -> dict:
    output = writer.write(part, facts=facts, icp=icp, emit_delta=emit_delta)
    if part == "enrichment":
        output = {**output, "live_enrichment": live_enrichment(facts.domain, emit_delta=emit_delta)}
    return validate_part(part, output)


def live_enrichment(domain: str, *, emit_delta: Callable[[str], None] | None = None) -> dict:
    """What the configured providers know about `domain`, each source with its own status."""
    try:
        results = enrich_domain(domain)
    except Exception:
        # Providers report their own errors per source; this is a bug, and still not fatal.
        logger.exception("live enrichment of %s failed", domain)
        results = []
    sources = [{"source": r.source, "status": r.status, "data": r.data, "error": r.error} for r in results]
    if emit_delta is not None:
        for source in sources:
            emit_delta(f"\nLive enrichment · {source['source']}: {source['status'].replace('_', ' ')}")
    return {"domain": domain, "sources": sources}


def _part_error(part: str, exc: Exception) -> dict:
    if isinstance(exc, InsufficientInformation):
        return {"code": "insufficient_information", "detail": exc.detail, "missing": list(exc.missing)}
    if isinstance(exc, PartFailed):
        return {"code": "part_failed", "detail": str(exc)}
    if isinstance(exc, serializers.ValidationError):  # validate_part: paths to what is wrong
        problems = [f"{path}: {messages[0]}" for path, messages in error_paths(exc.detail).items()]
        return {"code": "invalid_output", "detail": "; ".join(problems)[:500] or "The output is invalid."}
    logger.exception("part %s failed unexpectedly", part, exc_info=exc)
    return {"code": "internal_error", "detail": "This part failed because of an unexpected error; it has been logged."}


def _internal_error() -> dict:
    logger.exception("generation failed unexpectedly")
    return {"code": "internal_error", "detail": "The generation failed because of an unexpected error; it has been logged."}


def _outcome_event(outcome: _PartOutcome) -> tuple[str, dict]:
    if outcome.error is not None:
        return "part.failed", {"part": outcome.part, "error": outcome.error}
    return "part.completed", {"part": outcome.part, "result": outcome.result, "duration_ms": outcome.duration_ms}


def _record_outcomes(generation: Generation, outcomes: list[_PartOutcome]) -> None:
    for outcome in outcomes:
        generation.parts[outcome.part] = {
            "status": "failed" if outcome.error else "completed", "error": outcome.error,
            "duration_ms": outcome.duration_ms,
        }
        if outcome.result is not None:
            generation.result[outcome.part] = outcome.result
    generation.save(update_fields=["parts", "result"])


def _finish(generation: Generation, log: EventLog, *, status: str, error: dict | None = None,
            before: list[tuple[str, dict]] = ()) -> Generation:
    """Record the outcome, then send `before` and generation.completed (saved first, so a
    subscriber that hears of completion and reads the generation sees it finished)."""
    generation.status = status
    generation.error = error
    generation.finished_at = timezone.now()
    generation.duration_ms = _ms_between(generation.started_at, generation.finished_at)
    generation.save(update_fields=["status", "error", "finished_at", "duration_ms", "cache_hit", "parts", "result"])
    payload = {"generation_id": generation.pk, "status": status, "duration_ms": generation.duration_ms,
               "cache_hit": generation.cache_hit}
    if error:
        payload["error"] = error
    log.emit_many([*before, ("generation.completed", payload)])
    return generation


# --- Cache -----------------------------------------------------------------------------------

def _cache_store(generation: Generation) -> None:
    timeout = settings.LAUNCHDECK_GENERATION_CACHE_SECONDS
    if timeout:
        cache.set(generation.cache_key, {"parts": generation.parts, "result": generation.result}, timeout)


def _complete_from_cache(generation: Generation, cached: dict) -> None:
    generation.cache_hit = True
    generation.parts = cached["parts"]
    generation.result = cached["result"]
    generation.status = Generation.Status.COMPLETED
    generation.finished_at = timezone.now()
    generation.duration_ms = _ms_between(generation.started_at, generation.finished_at)


def _finish_from_cache(generation: Generation, cached: dict) -> Generation:
    """A queued generation the cache can answer (it was filled after this one was queued):
    finished in one write. Its events follow from it (generators.events.cache_hit_events):
    sent to subscribers, derived again for late ones, never stored."""
    _complete_from_cache(generation, cached)
    generation.save(update_fields=["status", "started_at", "finished_at", "duration_ms", "cache_hit", "parts",
                                   "result"])
    try:
        publish_many(generation_group(generation.pk), cache_hit_envelopes(generation))
    except Exception:
        logger.exception("could not publish events of generation %s", generation.pk)
    return generation


# --- Facts summary -----------------------------------------------------------------------------

_COUNTED_FACTS = ("value_propositions", "features", "pricing_tiers", "customers", "testimonials", "industries",
                  "integrations", "technologies", "social_links", "contact_points")


def facts_summary(facts: SiteFacts) -> dict:
    """What the result keeps of the site facts: enough to show what was read, not all of it."""

    def value(fact):
        return fact.value if fact is not None else None

    return {
        "url": facts.url, "domain": facts.domain, "name": value(facts.name), "tagline": value(facts.tagline),
        "description": value(facts.description),
        "pages": [{"url": p.url, "kind": p.kind, "status": p.status, "title": p.title} for p in facts.pages],
        "text_chars": facts.text_chars,
        "technologies": [{"name": t.name, "category": t.category} for t in facts.technologies],
        "counts": {name: len(getattr(facts, name)) for name in _COUNTED_FACTS},
    }


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _ms_between(start, end) -> int:
    return max(0, round((end - start).total_seconds() * 1000)) if start and end else 0


# --- Positioning → strategy ------------------------------------------------------------------------

PILLAR_LIMIT, PILLAR_LENGTH, AUDIENCE_LENGTH, CONSTRAINTS_LENGTH = 12, 200, 2000, 2000


def generation_to_strategy_data(generation: Generation, *, base: Strategy | None = None) -> dict:
    """The strategy fields a positioning canvas supports, on top of `base` (the current version).

    Messaging pillars become content pillars; best-fit customers and the ICP's industries,
    sizes, regions and roles become the target audience; ICP exclusions become constraints.
    Fields positioning says nothing about (platforms, goals, cadence, tone, ads) are kept.
    """
    positioning = generation.result.get("positioning")
    if not positioning:
        raise ValidationError("This generation has no positioning canvas to save.")
    data = {name: getattr(base, name) for name in Strategy.CONTENT_FIELDS} if base else {}

    pillars = []
    for pillar in positioning.get("messaging_pillars", [])[:PILLAR_LIMIT]:
        text = f"{pillar['title']} — {pillar['message']}" if pillar.get("message") else pillar["title"]
        pillars.append(_clip(text, PILLAR_LENGTH))
    if pillars:
        data["content_pillars"] = pillars

    icp = generation.result.get("icp") or {}
    lines = [f"Best-fit customers: {item['text']}" for item in positioning.get("best_fit_customers", [])]
    for name, label in (("roles", "Roles"), ("industries", "Industries"), ("company_sizes", "Company sizes"),
                        ("regions", "Regions"), ("pains", "Pains"), ("buying_triggers", "Buying triggers")):
        values = (icp.get(name) or {}).get("values") or []
        if values:
            lines.append(f"{label}: {', '.join(values)}")
    if lines:
        data["target_audience"] = _clip("\n".join(lines), AUDIENCE_LENGTH)

    exclusions = (icp.get("exclusions") or {}).get("values") or []
    if exclusions:
        data["constraints"] = _clip("Exclude: " + "; ".join(exclusions), CONSTRAINTS_LENGTH)
    return data


def generation_save_as_strategy(*, generation: Generation, campaign: Campaign, author: User | None) -> Strategy:
    """Save the generation's positioning as the campaign's next strategy version."""
    if campaign.workspace_id != generation.workspace_id:
        raise ValidationError({"campaign": ["No such campaign in this workspace."]})
    base = Strategy.objects.filter(campaign=campaign).order_by("-version").first()
    data = generation_to_strategy_data(generation, base=base)
    return strategy_version_create(campaign=campaign, data=data, author=author)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
