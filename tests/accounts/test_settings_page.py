"""The settings page: workspace info, members and their roles, API keys."""

import json
import re

import pytest

from accounts.models import APIKey, Membership, Role
from accounts.services import api_key_create
from campaigns.models import Campaign

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/settings/"
HTMX_KEYS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "api-keys"}
KEY_PATTERN = re.compile(r"ld_[A-Za-z0-9]{8}_[A-Za-z0-9_\-]{20,}")


def _role_of(user, workspace):
    return Membership.objects.get(user=user, workspace=workspace).role


# --- What each role sees ----------------------------------------------------------------

def test_it_lists_the_workspace_and_its_members(client, mark, alice, vic, bob):
    client.force_login(mark)

    html = client.get(SETTINGS).content.decode()

    assert "<dd>Acme</dd>" in html and "<code>acme</code>" in html
    for name in ("alice", "mark", "vic"):
        assert f'<div class="strong">{name}' in html
    assert "bob" not in html
    assert "badge-role-admin" in html and "badge-role-viewer" in html


def test_a_marketer_sees_neither_role_controls_nor_api_keys(client, mark, alice):
    client.force_login(mark)

    html = client.get(SETTINGS).content.decode()

    assert 'name="role"' not in html
    assert 'id="api-keys"' not in html
    assert "Only admins create keys" in html
    assert "Authorization: Bearer &lt;key&gt;" in html
    assert 'href="/api/v1/docs/"' in html


def test_an_admin_sees_role_controls_and_api_keys(client, alice, mark):
    client.force_login(alice)

    html = client.get(SETTINGS).content.decode()

    assert f'action="/accounts/settings/members/{Membership.objects.get(user=mark).pk}/role/"' in html
    assert 'id="api-keys"' in html
    assert "No API keys yet" in html
    assert ">Create key</button>" in html


def test_the_settings_page_runs_a_fixed_number_of_queries(client, alice, mark, vic, acme, django_assert_num_queries):
    for user in (alice, mark, vic):
        api_key_create(workspace=acme, user=user, name=f"{user.username} key")
    client.force_login(alice)

    # 1 session, 2 user, 3 membership with its workspace, 4 the user's workspaces (switcher),
    # 5 members with their users, 6 API keys with their creators.
    with django_assert_num_queries(6):
        response = client.get(SETTINGS)

    assert response.status_code == 200


# --- API keys -------------------------------------------------------------------------------

def test_a_new_key_is_shown_once_and_works_against_the_api(client, alice, acme):
    Campaign.objects.create(workspace=acme, name="Visible through the API")
    client.force_login(alice)

    response = client.post("/accounts/settings/api-keys/", {"name": "CRM sync"}, **HTMX_KEYS)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="api-keys"')
    raw_key = KEY_PATTERN.search(html).group(0)
    assert "Copy it now" in html and "data-copy" in html
    assert json.loads(response["HX-Trigger"])["toast"]["level"] == "success"
    assert response["Cache-Control"] == "no-store"
    # Only a hash is stored, and the page never shows the key again.
    assert not APIKey.objects.filter(key_hash=raw_key).exists()
    assert raw_key not in client.get(SETTINGS).content.decode()

    api = client.get("/api/v1/campaigns/", HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    assert api.status_code == 200
    assert [c["name"] for c in api.json()["results"]] == ["Visible through the API"]


def test_the_key_list_shows_prefix_creator_and_status(client, alice, mark, acme):
    issued = api_key_create(workspace=acme, user=mark, name="Zapier")
    client.force_login(alice)

    html = client.get(SETTINGS).content.decode()

    assert f"<code>ld_{issued.api_key.prefix}_…</code>" in html
    assert issued.raw_key not in html
    assert "by mark" in html
    assert "Never" in html
    assert ">Active</span>" in html


def test_a_key_needs_a_name(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/settings/api-keys/", {"name": ""}, **HTMX_KEYS)

    assert response.status_code == 422
    assert 'id="id_name_error">This field is required.' in response.content.decode()
    assert not APIKey.objects.exists()


def test_creating_a_key_without_javascript_shows_it_on_the_full_page(client, alice):
    client.force_login(alice)

    response = client.post("/accounts/settings/api-keys/", {"name": "Script"})

    html = response.content.decode()
    assert "<html" in html and "Members" in html
    assert KEY_PATTERN.search(html)


def test_revoking_a_key_stops_it_working(client, alice, acme):
    issued = api_key_create(workspace=acme, user=alice, name="Old integration")
    client.force_login(alice)

    html = client.get(SETTINGS).content.decode()
    assert 'hx-confirm="Revoke “Old integration”?' in html

    response = client.post(f"/accounts/settings/api-keys/{issued.api_key.pk}/revoke/", **HTMX_KEYS)

    assert response.status_code == 200
    assert ">Revoked</span>" in response.content.decode()
    assert "Revoked “Old integration”" in json.loads(response["HX-Trigger"])["toast"]["message"]
    api = client.get("/api/v1/campaigns/", HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}")
    assert api.status_code == 401


def test_revoking_without_javascript_redirects_with_a_message(client, alice, acme):
    issued = api_key_create(workspace=acme, user=alice, name="Old integration")
    client.force_login(alice)

    response = client.post(f"/accounts/settings/api-keys/{issued.api_key.pk}/revoke/", follow=True)

    assert "Revoked “Old integration”" in response.content.decode()


def test_a_marketer_cannot_create_or_revoke_keys(client, mark, alice, acme):
    issued = api_key_create(workspace=acme, user=alice, name="Admin's key")
    client.force_login(mark)

    created = client.post("/accounts/settings/api-keys/", {"name": "Mine"}, **HTMX_KEYS)
    revoked = client.post(f"/accounts/settings/api-keys/{issued.api_key.pk}/revoke/", **HTMX_KEYS)

    assert created.status_code == 403 and revoked.status_code == 403
    assert APIKey.objects.get().is_active


def test_an_outsider_cannot_revoke_another_workspaces_key(client, bob, alice, acme):
    issued = api_key_create(workspace=acme, user=alice, name="Acme key")
    client.force_login(bob)

    response = client.post(f"/accounts/settings/api-keys/{issued.api_key.pk}/revoke/", **HTMX_KEYS)

    assert response.status_code == 404
    assert APIKey.objects.get().is_active


# --- Roles -----------------------------------------------------------------------------------

def test_an_admin_changes_a_members_role(client, alice, mark, acme):
    client.force_login(alice)
    membership = Membership.objects.get(user=mark)

    response = client.post(f"/accounts/settings/members/{membership.pk}/role/", {"role": "approver"}, follow=True)

    assert "mark is now Approver." in response.content.decode()
    assert _role_of(mark, acme) == Role.APPROVER


def test_the_last_admin_cannot_be_demoted(client, alice, mark, acme):
    client.force_login(alice)
    membership = Membership.objects.get(user=alice)

    response = client.post(f"/accounts/settings/members/{membership.pk}/role/", {"role": "viewer"}, follow=True)

    assert "A workspace must keep at least one admin." in response.content.decode()
    assert _role_of(alice, acme) == Role.ADMIN


def test_an_unknown_role_is_refused(client, alice, mark, acme):
    client.force_login(alice)
    membership = Membership.objects.get(user=mark)

    response = client.post(f"/accounts/settings/members/{membership.pk}/role/", {"role": "owner"}, follow=True)

    assert "Choose one of the listed roles." in response.content.decode()
    assert _role_of(mark, acme) == Role.MARKETER


def test_only_admins_change_roles(client, april, mark, acme):
    client.force_login(april)
    membership = Membership.objects.get(user=mark)

    response = client.post(f"/accounts/settings/members/{membership.pk}/role/", {"role": "admin"})

    assert response.status_code == 403
    assert _role_of(mark, acme) == Role.MARKETER


def test_an_outsider_cannot_change_roles_in_another_workspace(client, bob, mark):
    client.force_login(bob)
    membership = Membership.objects.get(user=mark)

    response = client.post(f"/accounts/settings/members/{membership.pk}/role/", {"role": "admin"})

    assert response.status_code == 404


def test_an_admin_allows_and_disallows_self_approval(client, alice, acme):
    client.force_login(alice)

    allowed = client.post("/accounts/workspace/self-approval/", {"allow_self_approval": "1"}, follow=True)
    acme.refresh_from_db()

    assert acme.allow_self_approval is True
    assert "may now approve strategy versions they wrote" in allowed.content.decode()
    client.post("/accounts/workspace/self-approval/", {"allow_self_approval": "0"})
    acme.refresh_from_db()
    assert acme.allow_self_approval is False


def test_only_admins_change_self_approval(client, april, acme):
    client.force_login(april)

    response = client.post("/accounts/workspace/self-approval/", {"allow_self_approval": "1"})

    acme.refresh_from_db()
    assert response.status_code == 403
    assert acme.allow_self_approval is False
