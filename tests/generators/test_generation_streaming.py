"""Events of a generation as they happen: the websocket and server-sent events, both with the
events so far first, then live ones, in order, none twice."""

import asyncio
import json
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import ApplicationCommunicator, WebsocketCommunicator

from config.asgi import application  # builds Django before the consumers are imported
from generators.models import Generation, GenerationEvent
from generators.services import generation_create, generation_run
from generators.tasks import run_generation_in_thread
from tests.conftest import api_client_for
from tests.factories import generation_make
from tests.generators.generation_fixtures import event_types, parse_sse

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

FULL_SEQUENCE = {"generation.started", "part.started", "part.delta", "part.completed", "generation.completed"}


@pytest.fixture
def alice_key(alice, acme):
    return api_client_for(alice, acme).raw_key


class GatedWriter:
    """The real writer, but `positioning` waits for the test to open the gate."""

    def __init__(self, inner, gate: threading.Event, reached: threading.Event):
        self.inner, self.gate, self.reached = inner, gate, reached
        self.name, self.version = inner.name, inner.version

    def write(self, part, *, facts, icp, emit_delta):
        if part == "positioning":
            emit_delta("Thinking…")
            self.reached.set()
            assert self.gate.wait(timeout=15)
        return self.inner.write(part, facts=facts, icp=icp, emit_delta=emit_delta)


@pytest.fixture
def gate(monkeypatch):
    from generators import services

    gate, reached = threading.Event(), threading.Event()
    real = services.get_writer
    monkeypatch.setattr(services, "get_writer", lambda name: GatedWriter(real(name), gate, reached))
    yield gate, reached
    gate.set()


def _socket(generation_id: int, key: str | None, query: str = "") -> WebsocketCommunicator:
    headers = [(b"authorization", f"Bearer {key}".encode())] if key else []
    return WebsocketCommunicator(application, f"/ws/generations/{generation_id}/{query}", headers=headers)


async def _until_completed(socket: WebsocketCommunicator) -> list[dict]:
    events = []
    while not events or events[-1]["type"] != "generation.completed":
        events.append(await socket.receive_json_from(timeout=15))
    return events


async def _create(acme, alice, site, kind="complete") -> Generation:
    return await sync_to_async(generation_create)(workspace=acme, user=alice, kind=kind, website=site.url("/"))


async def _stored(generation) -> list[dict]:
    return await sync_to_async(lambda: [e.envelope() for e in GenerationEvent.objects.filter(generation=generation)])()


async def _wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while not await sync_to_async(predicate)():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


# --- websocket ---------------------------------------------------------------------------------

async def test_a_subscriber_receives_the_full_event_sequence_live(alice_key, acme, alice, site):
    generation = await _create(acme, alice, site)
    socket = _socket(generation.pk, alice_key)
    connected, _ = await socket.connect(timeout=5)
    assert connected

    await sync_to_async(run_generation_in_thread)(generation.pk)
    events = await _until_completed(socket)
    await socket.disconnect()

    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert {e["type"] for e in events} == FULL_SEQUENCE
    assert events[0]["payload"]["parts"] == ["positioning", "email_pack", "enrichment"]
    assert events[-1]["payload"] == {"generation_id": generation.pk, "status": "completed",
                                     "duration_ms": events[-1]["payload"]["duration_ms"], "cache_hit": False}
    assert events == await _stored(generation)  # the same envelopes as stored, "at" included


async def test_a_late_subscriber_gets_stored_events_then_live_ones_without_duplicates(
        alice_key, acme, alice, site, gate):
    opened, reached = gate
    generation = await _create(acme, alice, site)
    await sync_to_async(run_generation_in_thread)(generation.pk)
    await _wait_for(lambda: reached.is_set() and GenerationEvent.objects.filter(
        generation=generation, type="part.completed").count() == 2)

    socket = _socket(generation.pk, alice_key)
    assert (await socket.connect(timeout=5))[0]
    replayed = [await socket.receive_json_from(timeout=5)
                for _ in range(await sync_to_async(GenerationEvent.objects.filter(generation=generation).count)())]
    opened.set()
    events = replayed + await _until_completed(socket)
    await socket.disconnect()

    assert "part.completed" in {e["type"] for e in replayed}  # it did join late
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events == await _stored(generation)


async def test_a_socket_resumes_after_the_last_event_it_saw(alice_key, acme, alice, site):
    generation = await _create(acme, alice, site, kind="positioning")
    await sync_to_async(generation_run)(generation.pk)
    stored = await _stored(generation)

    socket = _socket(generation.pk, alice_key, query="?after=2")
    assert (await socket.connect(timeout=5))[0]
    events = await _until_completed(socket)
    await socket.disconnect()

    assert events == stored[2:]


async def test_it_refuses_a_socket_without_membership(acme):
    generation = await sync_to_async(generation_make)(acme)

    connected, code = await _socket(generation.pk, None).connect(timeout=5)

    assert (connected, code) == (False, 4401)


async def test_it_refuses_another_workspaces_generation(alice_key, globex):
    generation = await sync_to_async(generation_make)(globex)

    connected, code = await _socket(generation.pk, alice_key).connect(timeout=5)

    assert (connected, code) == (False, 4404)


# --- server-sent events --------------------------------------------------------------------------

async def _sse(path: str, key: str, *, method: str = "GET", body: dict | None = None,
               headers: dict | None = None) -> tuple[int, dict, list[dict]]:
    """One request through the ASGI application, read chunk by chunk as a client would."""
    path, _, query = path.partition("?")
    raw = json.dumps(body).encode() if body is not None else b""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "server": ("testserver", 80), "client": ("127.0.0.1", 50000),
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {key}".encode()),
                    (b"accept", b"text/event-stream"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                    *[(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]],
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": raw, "more_body": False})
    start = await communicator.receive_output(timeout=15)
    chunks = []
    while True:
        message = await communicator.receive_output(timeout=15)
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=5)
    response_headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], response_headers, parse_sse(b"".join(chunks))


async def test_generate_with_stream_sends_the_events_as_they_happen(alice_key, acme, site):
    status, headers, frames = await _sse("/api/v1/generate/complete/?stream=true", alice_key, method="POST",
                                         body={"website": site.url("/")})

    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    assert {f["event"] for f in frames} == FULL_SEQUENCE
    assert [f["id"] for f in frames] == list(range(1, len(frames) + 1))
    assert all(f["data"]["seq"] == f["id"] and f["data"]["type"] == f["event"] for f in frames)
    generation = await sync_to_async(Generation.objects.get)(pk=frames[0]["data"]["payload"]["generation_id"])
    assert generation.status == "completed"
    assert [f["data"] for f in frames] == await _stored(generation)


async def test_the_events_endpoint_replays_then_follows_a_running_generation(alice_key, acme, alice, site, gate):
    opened, reached = gate
    generation = await _create(acme, alice, site)
    await sync_to_async(run_generation_in_thread)(generation.pk)
    await _wait_for(reached.is_set)

    reader = asyncio.ensure_future(_sse(f"/api/v1/generations/{generation.pk}/events/", alice_key))
    await asyncio.sleep(0.2)
    opened.set()
    status, headers, frames = await reader

    assert status == 200 and headers["cache-control"] == "no-cache"
    assert event_types([f["data"] for f in frames])[0] == "generation.started"
    assert frames[-1]["event"] == "generation.completed"
    assert [f["id"] for f in frames] == list(range(1, len(frames) + 1))


async def test_the_events_endpoint_resumes_after_last_event_id(alice_key, acme, alice, site):
    generation = await _create(acme, alice, site, kind="email_pack")
    await sync_to_async(generation_run)(generation.pk)
    stored = await _stored(generation)

    _, _, frames = await _sse(f"/api/v1/generations/{generation.pk}/events/", alice_key,
                              headers={"Last-Event-ID": "3"})

    assert [f["data"] for f in frames] == stored[3:]


async def test_a_cached_repeat_streams_its_events_live_and_to_late_subscribers(alice_key, acme, alice, site):
    first = await _create(acme, alice, site)
    await sync_to_async(generation_run)(first.pk)
    repeat = await _create(acme, alice, site)
    live = _socket(repeat.pk, alice_key)
    assert (await live.connect(timeout=5))[0]

    await sync_to_async(generation_run)(repeat.pk)
    live_events = await _until_completed(live)
    await live.disconnect()
    late = _socket(repeat.pk, alice_key)
    assert (await late.connect(timeout=5))[0]
    late_events = await _until_completed(late)
    await late.disconnect()
    status, _, frames = await _sse(f"/api/v1/generations/{repeat.pk}/events/", alice_key)

    assert [e["type"] for e in live_events] == [
        "generation.started",
        "part.started", "part.completed", "part.started", "part.completed", "part.started", "part.completed",
        "generation.completed",
    ]
    assert live_events[-1]["payload"]["cache_hit"] is True
    assert late_events == live_events
    assert status == 200 and [f["data"] for f in frames] == live_events
