import json

from rest_framework.renderers import BaseRenderer


class EventStreamRenderer(BaseRenderer):
    """Lets a client that asks for `text/event-stream` reach the streaming views.

    The streams themselves are StreamingHttpResponses; this only renders the JSON problem a
    refused request (404, 422) answers with.
    """

    media_type = "text/event-stream"
    format = "sse"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else json.dumps(data).encode()
