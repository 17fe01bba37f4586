"""Guessing protection: after 5 failed sign-ins a username is locked out, right password or not."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def fail_to_sign_in(client, username: str, times: int) -> list[int]:
    return [client.post(TOKEN, {"username": username, "password": "guess"}).status_code for _ in range(times)]


def test_it_still_accepts_the_right_password_after_four_failures(mark):
    client = APIClient()
    assert fail_to_sign_in(client, "mark", 4) == [400] * 4

    assert client.post(TOKEN, {"username": "mark", "password": PASSWORD}).status_code == 200


def test_it_locks_the_token_endpoint_after_five_failures(mark):
    client = APIClient()
    # The fifth failure is the one that locks: it already answers 429.
    assert fail_to_sign_in(client, "mark", 5) == [400, 400, 400, 400, 429]

    response = client.post(TOKEN, {"username": "mark", "password": PASSWORD})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 429
    assert {"type", "title", "detail"} <= set(body)
    assert "access" not in body
    assert "Try again" in body["detail"]


def test_it_locks_one_username_only(mark, vic):
    client = APIClient()
    fail_to_sign_in(client, "mark", 5)

    assert client.post(TOKEN, {"username": "vic", "password": PASSWORD}).status_code == 200


def test_it_locks_the_login_page_too(client, mark):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "mark", "password": "guess"})

    response = client.post(reverse("accounts:login"), {"username": "mark", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
