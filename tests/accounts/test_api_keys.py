"""Workspace API keys: hashed at rest, shown once, revocable, bound to one workspace."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import APIKey, Membership, Role
from campaigns.models import Campaign
from tests.factories import campaign_make, user_make

pytestmark = pytest.mark.django_db

API_KEYS = "/api/v1/api-keys/"


def bearer(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


@pytest.fixture
def alices_api(api_for, alice, acme):
    return api_for(alice, acme)


def test_it_shows_a_new_key_once_and_stores_only_its_hash(alices_api):
    created = alices_api.post(API_KEYS, {"name": "CRM sync"})

    assert created.status_code == 201
    raw_key = created.json()["key"]
    assert raw_key.startswith("ld_")
    stored = APIKey.objects.get(pk=created.json()["id"])
    assert stored.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key not in {str(value) for value in APIKey.objects.values_list("prefix", "key_hash", "name").get(pk=stored.pk)}
    assert "key" not in alices_api.get(f"{API_KEYS}{stored.pk}/").json()
    assert all("key" not in row for row in alices_api.get(API_KEYS).json()["results"])
    assert created.json()["display"] == f"ld_{stored.prefix}_…"


def test_it_lets_the_new_key_act_as_its_creator(alices_api, acme):
    raw_key = alices_api.post(API_KEYS, {"name": "CRM sync"}).json()["key"]

    response = bearer(raw_key).get("/api/v1/workspace/")

    assert response.status_code == 200
    assert response.json()["slug"] == "acme"


def test_it_refuses_a_revoked_key(alices_api):
    created = alices_api.post(API_KEYS, {"name": "CRM sync"}).json()

    revoked = alices_api.post(f"{API_KEYS}{created['id']}/revoke/")

    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    response = bearer(created["key"]).get("/api/v1/campaigns/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_it_refuses_a_key_with_a_wrong_secret(alices_api):
    raw_key = alices_api.post(API_KEYS, {"name": "CRM sync"}).json()["key"]

    assert bearer(raw_key[:-2] + "xx").get("/api/v1/campaigns/").status_code == 401


def test_it_records_when_a_key_was_last_used(api_for, mark, acme):
    client = api_for(mark, acme)
    api_key = APIKey.objects.get(user=mark)
    assert api_key.last_used_at is None

    client.get("/api/v1/campaigns/")

    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_it_does_not_rewrite_last_use_within_a_minute(api_for, mark, acme):
    client = api_for(mark, acme)
    recently = timezone.now() - timedelta(seconds=30)
    APIKey.objects.filter(user=mark).update(last_used_at=recently)

    client.get("/api/v1/campaigns/")

    assert APIKey.objects.get(user=mark).last_used_at == recently


def test_it_updates_last_use_after_a_minute(api_for, mark, acme):
    client = api_for(mark, acme)
    earlier = timezone.now() - timedelta(minutes=2)
    APIKey.objects.filter(user=mark).update(last_used_at=earlier)

    client.get("/api/v1/campaigns/")

    assert APIKey.objects.get(user=mark).last_used_at > earlier


def test_it_stops_a_key_when_its_user_is_removed_from_the_workspace(api_for, alices_api, mark, acme):
    marks_api = api_for(mark, acme)
    membership = Membership.objects.get(user=mark, workspace=acme)

    assert alices_api.delete(f"/api/v1/members/{membership.pk}/").status_code == 204

    response = marks_api.get("/api/v1/campaigns/")
    assert response.status_code == 401
    assert APIKey.objects.get(user=mark).is_active is False


def test_it_stops_a_key_whose_membership_disappeared_any_other_way(api_for, mark, acme):
    marks_api = api_for(mark, acme)

    Membership.objects.filter(user=mark).delete()

    assert marks_api.get("/api/v1/campaigns/").status_code == 401


def test_it_stops_a_key_of_a_deactivated_user(api_for, mark, acme):
    marks_api = api_for(mark, acme)
    mark.is_active = False
    mark.save()

    assert marks_api.get("/api/v1/campaigns/").status_code == 401


def test_it_keeps_a_key_inside_its_workspace_whatever_x_workspace_says(api_for, acme, globex):
    nina = user_make(username="nina")
    Membership.objects.create(workspace=acme, user=nina, role=Role.ADMIN)
    Membership.objects.create(workspace=globex, user=nina, role=Role.ADMIN)
    campaign_make(acme, name="Acme secret plan")
    campaign_make(globex, name="Globex plan")
    globex_key = api_for(nina, globex)

    workspace = globex_key.get("/api/v1/workspace/", HTTP_X_WORKSPACE="acme")
    campaigns = globex_key.get("/api/v1/campaigns/", HTTP_X_WORKSPACE="acme")
    created = globex_key.post("/api/v1/campaigns/", {"name": "Planted"}, HTTP_X_WORKSPACE="acme")

    assert workspace.json()["slug"] == "globex"
    assert [c["name"] for c in campaigns.json()["results"]] == ["Globex plan"]
    assert created.status_code == 201
    assert Campaign.objects.get(name="Planted").workspace == globex


def test_it_lets_only_admins_manage_keys(api_for, mark, vic, acme):
    for person in (mark, vic):
        client = api_for(person, acme)
        assert client.get(API_KEYS).status_code == 403
        assert client.post(API_KEYS, {"name": "Mine"}).status_code == 403
    assert not APIKey.objects.filter(name="Mine").exists()


def test_it_requires_a_name(alices_api):
    response = alices_api.post(API_KEYS, {})

    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_the_command_prints_a_working_key_on_its_last_line(alice, acme):
    out = StringIO()

    call_command("apikey", "create", "--workspace", "acme", "--user", "alice", stdout=out)

    raw_key = out.getvalue().strip().splitlines()[-1]
    assert raw_key.startswith("ld_")
    response = bearer(raw_key).get("/api/v1/workspace/")
    assert response.status_code == 200
    assert response.json()["slug"] == "acme"


def test_the_command_refuses_a_user_outside_the_workspace(bob, acme):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not a member"):
        call_command("apikey", "create", "--workspace", "acme", "--user", "bob", stdout=StringIO())
    assert not APIKey.objects.exists()
