"""`/ws/events/`: who may listen, and that each workspace hears only its own events."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import WORKSPACE_CLAIM
from accounts.services import api_key_create, api_key_revoke
from config.asgi import application  # builds Django before the consumers are imported
from core.events import publish, workspace_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

UNAUTHENTICATED = 4401


def _socket(*headers: tuple[str, str]) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, "/ws/events/", headers=[(k.encode(), v.encode()) for k, v in headers]
    )


async def _refused(communicator: WebsocketCommunicator) -> bool:
    connected, code = await communicator.connect(timeout=5)
    if connected:
        await communicator.disconnect()
    return not connected and code == UNAUTHENTICATED


@pytest.fixture
def alice_key(alice, acme):
    return api_key_create(workspace=acme, user=alice, name="alice's dashboard").raw_key


@pytest.fixture
def alice_session(alice):
    client = Client()
    client.force_login(alice)
    return client.cookies["sessionid"].value


def _jwt(user, workspace) -> str:
    refresh = RefreshToken.for_user(user)
    refresh[WORKSPACE_CLAIM] = workspace.pk
    return str(refresh.access_token)


async def test_it_refuses_an_anonymous_socket():
    assert await _refused(_socket())


async def test_it_refuses_a_made_up_api_key(acme):
    assert await _refused(_socket(("authorization", "Bearer ld_abcdefgh_" + "x" * 43)))


async def test_it_greets_an_integration_with_an_api_key(alice_key):
    socket = _socket(("authorization", f"Bearer {alice_key}"))

    connected, _ = await socket.connect(timeout=5)

    assert connected
    greeting = await socket.receive_json_from(timeout=5)
    assert greeting["type"] == "connected"
    assert greeting["payload"] == {"workspace": "acme"}
    await socket.disconnect()


async def test_it_delivers_its_own_workspaces_events_only(alice_key, acme, bob, globex):
    socket = _socket(("authorization", f"Bearer {alice_key}"))
    await socket.connect(timeout=5)
    await socket.receive_json_from(timeout=5)  # connected

    await sync_to_async(publish)(workspace_group(globex.pk), "campaign.published", {"campaign": "Globex secret"})
    await sync_to_async(publish)(workspace_group(acme.pk), "campaign.published", {"campaign": "Q1 outreach"})

    # Events arrive in order, so the first one alice receives proves globex's never came.
    event = await socket.receive_json_from(timeout=5)
    assert event["type"] == "campaign.published"
    assert event["payload"] == {"campaign": "Q1 outreach"}
    assert event["at"]
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


async def test_it_ignores_what_a_client_sends(alice_key):
    socket = _socket(("authorization", f"Bearer {alice_key}"))
    await socket.connect(timeout=5)
    await socket.receive_json_from(timeout=5)

    await socket.send_json_to({"type": "campaign.published", "payload": {"campaign": "forged"}})

    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


async def test_it_refuses_a_revoked_key(alice_key):
    from accounts.models import APIKey

    api_key = await APIKey.objects.aget(prefix=alice_key.split("_")[1])
    await sync_to_async(api_key_revoke)(api_key=api_key)

    assert await _refused(_socket(("authorization", f"Bearer {alice_key}")))


async def test_it_accepts_a_users_jwt(alice, acme):
    token = await sync_to_async(_jwt)(alice, acme)
    socket = _socket(("authorization", f"Bearer {token}"))

    connected, _ = await socket.connect(timeout=5)

    assert connected
    assert (await socket.receive_json_from(timeout=5))["payload"] == {"workspace": "acme"}
    await socket.disconnect()


async def test_it_refuses_a_jwt_for_a_workspace_the_user_is_not_in(alice, globex):
    token = await sync_to_async(_jwt)(alice, globex)

    assert await _refused(_socket(("authorization", f"Bearer {token}")))


async def test_it_refuses_a_tampered_jwt(alice, acme):
    token = await sync_to_async(_jwt)(alice, acme)

    assert await _refused(_socket(("authorization", f"Bearer {token[:-4]}AAAA")))


async def test_it_refuses_a_browser_session_without_an_origin(alice_session):
    assert await _refused(_socket(("cookie", f"sessionid={alice_session}")))


async def test_it_accepts_a_browser_session_from_an_allowed_origin(alice_session):
    socket = _socket(("cookie", f"sessionid={alice_session}"), ("origin", "http://localhost:8000"))

    connected, _ = await socket.connect(timeout=5)

    assert connected
    assert (await socket.receive_json_from(timeout=5))["payload"] == {"workspace": "acme"}
    await socket.disconnect()


async def test_it_refuses_a_browser_session_from_a_foreign_origin(alice_session):
    # Cross-site websocket hijacking: another site's page riding on alice's cookie.
    socket = _socket(("cookie", f"sessionid={alice_session}"), ("origin", "https://evil.example"))

    assert await _refused(socket)
