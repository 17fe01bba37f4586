"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

from config.env import exit_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Build the Django app first: it sets up the app registry that the consumers import.
with exit_on_configuration_error():
    django_asgi_app = get_asgi_application()

# Imported only now: the consumers and the auth middleware need the app registry.
from channels.routing import ProtocolTypeRouter, URLRouter

from accounts.websocket import WorkspaceAuthMiddleware
from config.routing import websocket_urlpatterns

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Origin is checked for cookie-authenticated sockets inside WorkspaceAuthMiddleware;
        # integrations authenticate with a bearer header and send no Origin.
        "websocket": WorkspaceAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
