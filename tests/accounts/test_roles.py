"""What each role may do through the API: viewers read, marketers edit, admins manage."""

import pytest

from accounts.models import APIKey, Membership, Role
from campaigns.models import Campaign
from tests.factories import campaign_make

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"


def member_url(user, workspace) -> str:
    return f"/api/v1/members/{Membership.objects.get(user=user, workspace=workspace).pk}/"


@pytest.fixture
def spring(acme):
    return campaign_make(acme, name="Spring launch")


def test_it_lets_a_viewer_read_everything(api_for, vic, alice, acme, spring):
    client = api_for(vic, acme)

    assert client.get(CAMPAIGNS).status_code == 200
    assert client.get(f"{CAMPAIGNS}{spring.pk}/").status_code == 200
    assert client.get("/api/v1/members/").status_code == 200
    assert client.get("/api/v1/stats").status_code == 200


def test_it_refuses_every_write_of_a_viewer(api_for, vic, alice, acme, spring):
    client = api_for(vic, acme)

    responses = [
        client.post(CAMPAIGNS, {"name": "Autumn"}),
        client.patch(f"{CAMPAIGNS}{spring.pk}/", {"name": "Renamed"}),
        client.put(f"{CAMPAIGNS}{spring.pk}/", {"name": "Renamed"}),
        client.post(f"{CAMPAIGNS}{spring.pk}/archive/"),
        client.patch(member_url(alice, acme), {"role": "viewer"}),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert all(r["Content-Type"] == "application/problem+json" for r in responses)
    spring.refresh_from_db()
    assert (spring.name, spring.active) == ("Spring launch", True)
    assert Campaign.objects.count() == 1


def test_it_lets_a_marketer_create_and_edit_campaigns(api_for, mark, acme, spring):
    client = api_for(mark, acme)

    created = client.post(CAMPAIGNS, {"name": "Autumn", "target_mrr": "1500.00"})
    edited = client.patch(f"{CAMPAIGNS}{spring.pk}/", {"name": "Spring relaunch"})
    archived = client.post(f"{CAMPAIGNS}{spring.pk}/archive/")

    assert created.status_code == 201
    assert created.json()["owner"] == "mark"
    assert edited.status_code == 200
    assert edited.json()["name"] == "Spring relaunch"
    assert archived.json()["active"] is False


def test_it_keeps_a_marketer_away_from_keys_and_members(api_for, mark, alice, acme):
    client = api_for(mark, acme)

    responses = [
        client.get("/api/v1/api-keys/"),
        client.post("/api/v1/api-keys/", {"name": "Mine"}),
        client.patch(member_url(mark, acme), {"role": "admin"}),
        client.delete(member_url(alice, acme)),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert Membership.objects.get(user=mark).role == Role.MARKETER
    assert Membership.objects.filter(user=alice).exists()


def test_it_lets_an_admin_change_a_role(api_for, alice, mark, acme):
    response = api_for(alice, acme).patch(member_url(mark, acme), {"role": "approver"})

    assert response.status_code == 200
    assert response.json()["role"] == "approver"
    assert response.json()["username"] == "mark"
    assert Membership.objects.get(user=mark).role == Role.APPROVER


def test_it_applies_a_role_change_to_the_members_existing_key(api_for, alice, mark, acme):
    marks_api = api_for(mark, acme)

    api_for(alice, acme).patch(member_url(mark, acme), {"role": "viewer"})

    assert marks_api.post(CAMPAIGNS, {"name": "Autumn"}).status_code == 403


def test_it_treats_an_empty_patch_as_no_change(api_for, alice, mark, acme):
    response = api_for(alice, acme).patch(member_url(mark, acme), {})

    assert response.status_code == 200
    assert response.json()["role"] == "marketer"


def test_it_refuses_an_unknown_role(api_for, alice, mark, acme):
    response = api_for(alice, acme).patch(member_url(mark, acme), {"role": "overlord"})

    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_it_lets_an_admin_remove_a_member(api_for, alice, mark, acme):
    response = api_for(alice, acme).delete(member_url(mark, acme))

    assert response.status_code == 204
    assert not Membership.objects.filter(user=mark, workspace=acme).exists()


def test_it_protects_the_last_admin_from_demotion(api_for, alice, acme):
    response = api_for(alice, acme).patch(member_url(alice, acme), {"role": "marketer"})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "admin" in response.json()["detail"]
    assert Membership.objects.get(user=alice).role == Role.ADMIN


def test_it_protects_the_last_admin_from_removal(api_for, alice, acme):
    response = api_for(alice, acme).delete(member_url(alice, acme))

    assert response.status_code == 409
    assert Membership.objects.filter(user=alice, workspace=acme).exists()
    assert APIKey.objects.get(user=alice).is_active


def test_it_lets_an_admin_step_down_once_another_admin_exists(api_for, alice, mark, acme):
    client = api_for(alice, acme)
    client.patch(member_url(mark, acme), {"role": "admin"})

    response = client.patch(member_url(alice, acme), {"role": "marketer"})

    assert response.status_code == 200
    assert Membership.objects.get(user=alice).role == Role.MARKETER


def test_it_refuses_a_signed_in_user_without_a_workspace(client, db):
    from tests.factories import user_make

    client.force_login(user_make(username="loner"))

    response = client.get(CAMPAIGNS)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_it_lets_a_browser_session_use_the_api(client, mark, acme, spring):
    client.force_login(mark)

    response = client.get(CAMPAIGNS)

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["Spring launch"]


def test_an_admin_changes_the_workspace_through_the_api_and_others_cannot(api_for, alice, mark, acme):
    refused = api_for(mark, acme).patch("/api/v1/workspace/", {"allow_self_approval": True}, format="json")
    changed = api_for(alice, acme).patch("/api/v1/workspace/", {"allow_self_approval": True, "name": "Acme Inc"},
                                         format="json")
    typo = api_for(alice, acme).patch("/api/v1/workspace/", {"slug": "other"}, format="json")

    acme.refresh_from_db()
    assert refused.status_code == 403
    assert changed.status_code == 200 and changed.json()["allow_self_approval"] is True
    assert (acme.name, acme.slug) == ("Acme Inc", "acme")
    assert typo.status_code == 400 and "slug" in typo.json()["errors"]
