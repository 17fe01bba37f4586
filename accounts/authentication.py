"""API authentication: workspace API keys and user JWTs, both as `Authorization: Bearer`."""

from rest_framework import authentication, exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts.models import APIKey
from accounts.services import api_key_authenticate

WORKSPACE_CLAIM = "ws"


def bearer_token(request) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin1")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer ld_<prefix>_<secret>`; request.auth is the APIKey."""

    def authenticate(self, request):
        token = bearer_token(request)
        if token is None or not token.startswith("ld_"):
            return None  # not ours: maybe a JWT
        api_key = api_key_authenticate(token)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return api_key.user, api_key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class WorkspaceJWTAuthentication(JWTAuthentication):
    """A user's short-lived JWT; its `ws` claim names the workspace it was issued for."""

    def authenticate(self, request):
        token = bearer_token(request)
        if token is None or token.startswith("ld_"):
            return None
        return super().authenticate(request)


def workspace_claim(auth) -> int | None:
    if isinstance(auth, APIKey) or auth is None:
        return None
    try:
        return int(auth.get(WORKSPACE_CLAIM))
    except (AttributeError, TypeError, ValueError):
        return None
