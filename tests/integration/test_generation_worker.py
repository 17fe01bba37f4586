"""A generation run by a real Celery worker process, streamed to a websocket through the Redis
channel layer: the browser path of the Generate page in the production topology.

Needs Redis (REDIS_URL); skipped without it unless LAUNCHDECK_REQUIRE_SERVICES=1.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from generators.models import Generation
from generators.services import generation_create
from generators.tasks import run_generation

EVENT_TIMEOUT_SECONDS = 30

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_may_fetch_local_sites(monkeypatch, redis_service):
    # The worker is a separate process: it reads its settings from the environment.
    monkeypatch.setenv("LAUNCHDECK_FETCH_ALLOW_HOSTS", "127.0.0.1,localhost")


@pytest.fixture
def alice_api(api_for, alice, acme):
    return api_for(alice, acme)


def _socket(raw_key: str, generation_id: int) -> WebsocketCommunicator:
    from config.asgi import application  # builds the Django app before the consumers load

    return WebsocketCommunicator(application, f"/ws/generations/{generation_id}/",
                                 headers=[(b"authorization", f"Bearer {raw_key}".encode())])


@pytest.mark.asyncio
async def test_a_worker_runs_the_generation_and_the_socket_receives_every_event(
    worker_may_fetch_local_sites, celery_worker, site, alice_api, alice, acme
):
    api = alice_api
    generation = await sync_to_async(generation_create)(
        workspace=acme, user=alice, kind="complete", website=site.url("/")
    )
    socket = _socket(api.raw_key, generation.pk)
    connected, _ = await socket.connect()
    assert connected
    try:
        await sync_to_async(run_generation.delay)(generation.pk)
        events = []
        while not events or events[-1]["type"] != "generation.completed":
            events.append(await socket.receive_json_from(timeout=EVENT_TIMEOUT_SECONDS))
    finally:
        await socket.disconnect()
    stored = await sync_to_async(Generation.objects.get)(pk=generation.pk)
    # The thread sync_to_async used keeps its own connection; close it so the test database
    # can be dropped at the end of the run.
    await sync_to_async(connections.close_all)()

    types = [event["type"] for event in events]
    assert types[0] == "generation.started"
    assert types.count("part.completed") == 3
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    assert stored.status == "completed"
    assert set(stored.result) >= {"positioning", "email_pack", "enrichment"}
