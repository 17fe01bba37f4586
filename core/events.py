"""Realtime events: one envelope, typed payloads, one group per subject.

Every websocket message is `{"type": "<event>", "payload": {...}, "at": "<iso time>"}`.
Code that runs outside the event loop (views, Celery tasks) sends with `publish()`.
"""

from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone


class EventEnvelope(TypedDict):
    type: str
    payload: dict
    at: str


class PongPayload(TypedDict):
    ping_id: str
    worker: str
    request_id: str


def workspace_group(workspace_id: int) -> str:
    return f"workspace-{workspace_id}"


def envelope(event_type: str, payload: dict, **extra) -> EventEnvelope:
    """The wire form. `extra` adds members a stream needs, e.g. a stored event's `seq` and `at`."""
    return {"type": event_type, "payload": payload, "at": timezone.now().isoformat(), **extra}


def publish(group: str, event_type: str, payload: dict, **extra) -> None:
    """Send one event to every socket subscribed to `group` (sync callers)."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(group, {"type": "event.message", "event": envelope(event_type, payload, **extra)})


def publish_many(group: str, envelopes: list[dict]) -> None:
    """Send ready envelopes to `group` in order, as one channel-layer message
    (`event.batch`): one round trip to the layer however many events."""
    if envelopes:
        layer = get_channel_layer()
        async_to_sync(layer.group_send)(group, {"type": "event.batch", "events": envelopes})
