"""Websocket routes of every app, collected in one list."""

from core.routing import websocket_urlpatterns as core_ws
from generators.routing import websocket_urlpatterns as generators_ws

websocket_urlpatterns = [*core_ws, *generators_ws]
