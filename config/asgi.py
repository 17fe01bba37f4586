"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Build the Django app first: it sets up the app registry that the consumers import.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from accounts.websocket import WorkspaceAuthMiddleware  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Origin is checked for cookie-authenticated sockets inside WorkspaceAuthMiddleware;
        # integrations authenticate with a bearer header and send no Origin.
        "websocket": WorkspaceAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
