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


def envelope(event_type: str, payload: dict) -> EventEnvelope:
    return {"type": event_type, "payload": payload, "at": timezone.now().isoformat()}


def publish(group: str, event_type: str, payload: dict) -> None:
    """Send one event to every socket subscribed to `group` (sync callers)."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(group, {"type": "event.message", "event": envelope(event_type, payload)})
