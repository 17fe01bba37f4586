"""The events of a generation: one group per run, one payload type per event.

Stored as GenerationEvent rows and published to the group as the core.events envelope plus
`seq`; the websocket and SSE streams send exactly these.
"""

from typing import Literal, NotRequired, TypedDict


def generation_group(generation_id: int) -> str:
    """The channel-layer group of one generation's events."""
    return f"generation-{generation_id}"


class PartError(TypedDict):
    code: str  # insufficient_information, part_failed, invalid_output, internal_error
    detail: str
    missing: NotRequired[list[str]]


class GenerationStarted(TypedDict):
    generation_id: int
    parts: list[str]
    icp_source: Literal["provided", "inferred"]
    writer: str


class PartStarted(TypedDict):
    part: str


class PartDelta(TypedDict):
    part: str
    text: str


class PartCompleted(TypedDict):
    part: str
    result: dict
    duration_ms: int


class PartFailedPayload(TypedDict):
    part: str
    error: PartError


class GenerationCompleted(TypedDict):
    generation_id: int
    status: Literal["completed", "partial", "failed"]
    duration_ms: int
    cache_hit: bool
    error: NotRequired[PartError]  # why the whole generation failed (e.g. insufficient information)


def cache_hit_events(generation) -> list[tuple[str, dict]]:
    """The event sequence of a generation answered from the cache.

    It follows from the generation alone, so it is sent but not stored; the streams derive it
    again for a late subscriber (generators.selectors.generation_envelopes).
    """
    events: list[tuple[str, dict]] = [("generation.started", {
        "generation_id": generation.pk, "parts": list(generation.part_names),
        "icp_source": generation.icp_source, "writer": generation.writer_name,
    })]
    for part in generation.part_names:
        events.append(("part.started", {"part": part}))
        events.append(("part.completed", {"part": part, "result": generation.result[part],
                                          "duration_ms": generation.parts[part]["duration_ms"]}))
    events.append(("generation.completed", {"generation_id": generation.pk, "status": generation.status,
                                            "duration_ms": generation.duration_ms, "cache_hit": True}))
    return events


def cache_hit_envelopes(generation) -> list[dict]:
    at = generation.finished_at.isoformat()
    return [{"type": event_type, "payload": payload, "at": at, "seq": seq}
            for seq, (event_type, payload) in enumerate(cache_hit_events(generation), start=1)]
