"""The sign-in page: signing in, wrong passwords, lockout after repeated failures."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_it_shows_the_sign_in_form(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert ">Sign in</button>" in html
    # Signed-out visitors see no navigation into the app.
    assert "Campaigns</a>" not in html


def test_it_signs_alice_in_and_lands_on_the_dashboard(client, alice):
    response = _sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "Acme" in dashboard.content.decode()


def test_it_returns_alice_to_the_page_she_asked_for(client, alice):
    asked = client.get("/campaigns/")
    assert asked.status_code == 302
    assert asked["Location"] == f"{LOGIN}?next=/campaigns/"

    response = client.post(f"{LOGIN}?next=/campaigns/", {"username": "alice", "password": PASSWORD, "next": "/campaigns/"})

    assert response["Location"] == "/campaigns/"


def test_it_says_so_when_the_password_is_wrong(client, alice):
    response = _sign_in(client, "alice", "not the password")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct username and password" in html
    assert 'value="alice"' in html  # the username is kept, so only the password needs retyping
    assert "_auth_user_id" not in client.session


def test_it_puts_a_missing_field_error_next_to_the_field(client):
    response = _sign_in(client, "", "")

    html = response.content.decode()
    assert 'id="id_username_error"' in html
    assert 'id="id_password_error"' in html
    assert "This field is required." in html


def test_it_locks_the_account_after_five_failures(client, alice):
    for _attempt in range(5):
        _sign_in(client, "alice", "guess")

    # Even the right password is refused while the lockout lasts.
    response = _sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert 'name="username"' in html  # still the sign-in page, not an error page
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_person(client, alice, mark):
    for _attempt in range(5):
        _sign_in(client, "alice", "guess")

    response = _sign_in(client, "mark", PASSWORD)

    assert response.status_code == 302


def test_signing_out_ends_the_session(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get("/").status_code == 302
