from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from generators.events import generation_group
from generators.models import Generation
from generators.selectors import generation_envelopes


@database_sync_to_async
def _generation_visible(workspace, generation_id: int) -> bool:
    return Generation.objects.for_workspace(workspace).filter(pk=generation_id).exists()


@database_sync_to_async
def _stored(generation_id: int, after_seq: int) -> list[dict]:
    return generation_envelopes(generation_id=generation_id, after_seq=after_seq)


class GenerationConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/generations/<id>/`: a generation's events, stored ones first, then live ones.

    Refuses sockets without a membership (4401) and another workspace's generation (4404).
    It joins the group before replaying, so nothing sent meanwhile is lost, and skips live
    events it already replayed (by seq), so nothing arrives twice. `?after=<seq>` resumes.
    """

    async def connect(self):
        workspace = self.scope.get("workspace")
        if workspace is None:
            await self.close(code=4401)
            return
        generation_id = int(self.scope["url_route"]["kwargs"]["pk"])
        if not await _generation_visible(workspace, generation_id):
            await self.close(code=4404)
            return
        self.group = generation_group(generation_id)
        self.last_seq = _after(self.scope.get("query_string", b""))
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        while True:  # stored events come in pages
            envelopes = await _stored(generation_id, self.last_seq)
            for envelope in envelopes:
                await self.send_json(envelope)
                self.last_seq = envelope["seq"]
            if not envelopes:
                break

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def event_message(self, message):
        await self._send_new(message["event"])

    async def event_batch(self, message):
        for event in message["events"]:
            await self._send_new(event)

    async def _send_new(self, event: dict) -> None:
        seq = event.get("seq", 0)
        if seq <= self.last_seq:
            return  # already replayed
        self.last_seq = seq
        await self.send_json(event)

    async def receive_json(self, content, **kwargs):
        return  # clients only listen


def _after(query_string: bytes) -> int:
    values = parse_qs(query_string.decode("latin1")).get("after") or ["0"]
    try:
        return max(0, int(values[0]))
    except ValueError:
        return 0
