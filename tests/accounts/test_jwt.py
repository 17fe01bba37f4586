"""JWTs for people: `POST /api/v1/auth/token/` trades a password for tokens bound to a workspace."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"


def with_token(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def mark_in_globex_too(mark, globex):
    Membership.objects.create(workspace=globex, user=mark, role=Role.VIEWER)
    return mark


def test_it_issues_tokens_for_the_first_workspace(mark):
    response = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "workspace", "role"}
    assert body["workspace"] == "acme"
    assert body["role"] == "marketer"
    assert with_token(body["access"]).get("/api/v1/workspace/").json()["slug"] == "acme"


def test_it_binds_the_token_to_the_requested_workspace(mark_in_globex_too):
    body = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD, "workspace": "globex"}).json()

    assert body["workspace"] == "globex"
    assert body["role"] == "viewer"
    client = with_token(body["access"])
    assert client.get("/api/v1/workspace/").json()["slug"] == "globex"
    assert client.post("/api/v1/campaigns/", {"name": "Spring"}).status_code == 403


def test_it_lets_a_token_switch_to_another_of_the_users_workspaces(mark_in_globex_too):
    access = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD}).json()["access"]

    response = with_token(access).get("/api/v1/workspace/", HTTP_X_WORKSPACE="globex")

    assert response.json()["slug"] == "globex"


def test_it_refuses_a_switch_to_a_workspace_the_user_is_not_in(mark, globex):
    access = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD}).json()["access"]

    response = with_token(access).get("/api/v1/campaigns/", HTTP_X_WORKSPACE="globex")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_it_refuses_a_wrong_password(mark):
    response = APIClient().post(TOKEN, {"username": "mark", "password": "guess"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == {"non_field_errors": ["Wrong username or password."]}
    assert "access" not in body


def test_it_refuses_an_unknown_user_the_same_way(db):
    response = APIClient().post(TOKEN, {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Wrong username or password."]}


def test_it_refuses_a_workspace_the_user_is_not_in(mark, globex):
    response = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD, "workspace": "globex"})

    assert response.status_code == 400
    assert "workspace" in response.json()["errors"]
    assert "access" not in response.json()


def test_it_refuses_a_user_without_any_workspace(db):
    from tests.conftest import _user

    _user("loner")

    response = APIClient().post(TOKEN, {"username": "loner", "password": PASSWORD})

    assert response.status_code == 400
    assert "workspace" in response.json()["errors"]


def test_it_requires_username_and_password(db):
    response = APIClient().post(TOKEN, {})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


def test_it_refreshes_an_access_token_for_the_same_workspace(mark_in_globex_too):
    tokens = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD, "workspace": "globex"}).json()

    response = APIClient().post(REFRESH, {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    access = response.json()["access"]
    assert with_token(access).get("/api/v1/workspace/").json()["slug"] == "globex"


def test_it_refuses_a_garbled_refresh_token(db):
    response = APIClient().post(REFRESH, {"refresh": "not-a-token"})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_it_refuses_a_refresh_token_used_as_an_access_token(mark):
    refresh = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD}).json()["refresh"]

    assert with_token(refresh).get("/api/v1/campaigns/").status_code == 401


def test_it_stops_a_token_when_its_user_leaves_the_workspace(mark):
    access = APIClient().post(TOKEN, {"username": "mark", "password": PASSWORD}).json()["access"]

    Membership.objects.filter(user=mark).delete()

    assert with_token(access).get("/api/v1/campaigns/").status_code in (401, 403)
