from accounts.models import Workspace
from generators.events import cache_hit_envelopes
from generators.models import Generation, GenerationEvent

# One poll reads at most this many events; a stream catches up over several polls.
EVENT_PAGE = 500


def generation_list(*, workspace: Workspace):
    """The workspace's generations, newest first, with what a list row shows."""
    return Generation.objects.for_workspace(workspace).select_related("created_by", "campaign")


def generation_envelopes(*, generation_id: int, after_seq: int = 0) -> list[dict]:
    """Events after `after_seq`, in order, in their wire form.

    A cache hit's events are not stored: they follow from the generation itself
    (generators.events.cache_hit_events), which keeps a cached repeat fast.
    """
    cached = (Generation.objects.filter(pk=generation_id, cache_hit=True, status__in=Generation.FINISHED)
              .only("pk", "kind", "icp_source", "writer_name", "parts", "result", "status", "duration_ms",
                    "cache_hit", "finished_at").first())
    if cached is not None:
        return [e for e in cache_hit_envelopes(cached) if e["seq"] > after_seq][:EVENT_PAGE]
    events = GenerationEvent.objects.filter(generation_id=generation_id, seq__gt=after_seq).order_by("seq")
    return [event.envelope() for event in events[:EVENT_PAGE]]


def generation_is_finished(*, generation_id: int) -> bool:
    return Generation.objects.filter(pk=generation_id, status__in=Generation.FINISHED).exists()
