from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.events import workspace_group


class WorkspaceEventsConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/events/`: notifications for the connected member's workspace.

    Refuses sockets without a workspace membership (close code 4401).
    """

    async def connect(self):
        workspace = self.scope.get("workspace")
        if workspace is None:
            await self.close(code=4401)
            return
        self.group = workspace_group(workspace.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "connected", "payload": {"workspace": workspace.slug}, "at": None})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def event_message(self, message):
        await self.send_json(message["event"])

    async def receive_json(self, content, **kwargs):
        # Clients only listen; anything they send is ignored rather than echoed.
        return
