"""Server-sent events of a generation, read from the stored events.

The stream tails the GenerationEvent table with a short poll instead of listening to the
channel layer: it then works the same wherever the generation runs (this process, another
web process, a Celery worker) and a reconnecting client resumes from `Last-Event-ID`.
"""

import asyncio
import json
import time

from channels.db import database_sync_to_async
from django.http import StreamingHttpResponse

from generators.selectors import generation_envelopes, generation_is_finished

POLL_SECONDS = 0.05  # how stale a live event may be; one indexed query per poll
KEEPALIVE_SECONDS = 15  # proxies close connections that stay silent for long
MAX_STREAM_SECONDS = 15 * 60  # a run that never finishes must not hold a connection forever


def sse_frame(envelope: dict) -> bytes:
    data = json.dumps(envelope, separators=(",", ":"))
    return f"id: {envelope['seq']}\nevent: {envelope['type']}\ndata: {data}\n\n".encode()


async def generation_event_stream(generation_id: int, *, after_seq: int = 0):
    """Stored events after `after_seq`, then live ones, until generation.completed."""
    fetch = database_sync_to_async(generation_envelopes)
    finished = database_sync_to_async(generation_is_finished)
    last_seq, started, last_sent = after_seq, time.monotonic(), time.monotonic()
    idle_polls = 0
    while time.monotonic() - started < MAX_STREAM_SECONDS:
        envelopes = await fetch(generation_id=generation_id, after_seq=last_seq)
        for envelope in envelopes:
            yield sse_frame(envelope)
            last_seq, last_sent = envelope["seq"], time.monotonic()
            if envelope["type"] == "generation.completed":
                return
        if envelopes:
            idle_polls = 0
            continue
        idle_polls += 1
        # A finished generation whose last event was already sent (resumed after it) ends here.
        if idle_polls % 20 == 0 and await finished(generation_id=generation_id):
            return
        if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
            yield b": keep-alive\n\n"
            last_sent = time.monotonic()
        await asyncio.sleep(POLL_SECONDS)


def event_stream_response(generation_id: int, *, after_seq: int = 0) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        generation_event_stream(generation_id, after_seq=after_seq), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on as it comes
    return response


def last_event_id(request) -> int:
    """Where a client resumes: the `Last-Event-ID` header (EventSource reconnects) or `?after=`."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        return 0
