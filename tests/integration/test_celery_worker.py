"""The diagnostics round trip through real components: API → Redis broker → Celery worker
process → channel layer → websocket.

Needs Redis (REDIS_URL); skipped without it unless LAUNCHDECK_REQUIRE_SERVICES=1.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

PONG_TIMEOUT_SECONDS = 20

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mark_api(mark, acme, api_for):
    return api_for(mark, acme)


def _events_socket(raw_key: str) -> WebsocketCommunicator:
    # config.asgi builds the Django app before it imports the consumers.
    from config.asgi import application

    return WebsocketCommunicator(application, "/ws/events/",
                                 headers=[(b"authorization", f"Bearer {raw_key}".encode())])


async def _receive_event(socket: WebsocketCommunicator, event_type: str) -> dict:
    while True:
        event = await socket.receive_json_from(timeout=PONG_TIMEOUT_SECONDS)
        if event["type"] == event_type:
            return event


@pytest.mark.asyncio
async def test_a_ping_comes_back_from_the_worker_over_the_websocket(celery_worker, mark_api, acme):
    socket = _events_socket(mark_api.raw_key)
    connected, _ = await socket.connect()
    assert connected
    try:
        greeting = await socket.receive_json_from(timeout=5)
        assert greeting["type"] == "connected"
        assert greeting["payload"]["workspace"] == "acme"

        response = await sync_to_async(mark_api.post)("/api/v1/diagnostics/ping/")
        assert response.status_code == 202, response.content
        ping_id = response.json()["ping_id"]

        pong = await _receive_event(socket, "diagnostics.pong")
    finally:
        await socket.disconnect()

    assert pong["payload"]["ping_id"] == ping_id
    assert pong["payload"]["worker"]
    assert "at" in pong


@pytest.mark.asyncio
async def test_a_socket_with_an_unknown_key_is_refused():
    socket = _events_socket("ld_not-a-key")
    connected, code = await socket.connect()
    assert not connected
    assert code == 4401
