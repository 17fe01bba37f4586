"""Websocket authentication: the same credentials as HTTP, checked on connect.

Browsers authenticate with their session cookie, and then must send an Origin of an
allowed host (cross-site websocket hijacking). Integrations send
`Authorization: Bearer <api key or JWT>` in the handshake and need no Origin.
"""

from urllib.parse import urlparse

from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from accounts.authentication import WORKSPACE_CLAIM
from accounts.middleware import SESSION_KEY
from accounts.models import User
from accounts.selectors import membership_for
from accounts.services import api_key_authenticate


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _origin_allowed(scope) -> bool:
    origin = _header(scope, b"origin")
    if not origin:
        return False
    host = urlparse(origin).hostname or ""
    allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    return validate_host(host, allowed)


@database_sync_to_async
def _membership_from_bearer(token: str):
    if token.startswith("ld_"):
        api_key = api_key_authenticate(token)
        return api_key.membership if api_key else None
    try:
        access = AccessToken(token)
    except TokenError:
        return None
    user = User.objects.filter(pk=access.get("user_id"), is_active=True).first()
    if user is None:
        return None
    return membership_for(user=user, workspace_id=access.get(WORKSPACE_CLAIM))


class _SessionRequest:
    def __init__(self, session):
        self.session = session


@database_sync_to_async
def _membership_from_session(session):
    user = get_user(_SessionRequest(session))
    if not user.is_authenticated:
        return None
    chosen = session.get(SESSION_KEY)
    return (membership_for(user=user, workspace_id=chosen) if chosen else None) or membership_for(user=user)


class _WorkspaceScopeMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        authorization = _header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        membership = None
        if scheme.lower() == "bearer" and token.strip():
            membership = await _membership_from_bearer(token.strip())
        elif "session" in scope and _origin_allowed(scope):
            membership = await _membership_from_session(scope["session"])
        scope["membership"] = membership
        scope["workspace"] = membership.workspace if membership else None
        scope["user"] = membership.user if membership else AnonymousUser()
        return await self.inner(scope, receive, send)


def WorkspaceAuthMiddleware(inner):
    return CookieMiddleware(SessionMiddleware(_WorkspaceScopeMiddleware(inner)))
