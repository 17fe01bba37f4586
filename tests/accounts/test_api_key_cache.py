"""API key lookups are cached, and any change to what they rest on takes effect at once."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import APIKey, Membership, Role
from accounts.services import (
    _api_key_load,
    _api_key_remember,
    api_key_authenticate,
    api_key_cache_forget,
    api_key_revoke,
    membership_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def marks_api(api_for, mark, acme):
    api = api_for(mark, acme)
    assert api.get("/api/v1/campaigns/").status_code == 200  # looked up once, now cached
    return api


def test_a_repeat_request_does_not_look_the_key_up_again(marks_api):
    with CaptureQueriesContext(connection) as queries:
        assert marks_api.get("/api/v1/campaigns/").status_code == 200

    assert not [q for q in queries.captured_queries if "accounts_apikey" in q["sql"]]


def test_a_revoked_key_is_refused_at_once(marks_api):
    api_key_revoke(api_key=APIKey.objects.get(user__username="mark"))

    assert marks_api.get("/api/v1/campaigns/").status_code == 401


def test_a_member_removed_outside_the_services_is_refused_at_once(marks_api, mark, acme):
    Membership.objects.filter(user=mark, workspace=acme).delete()  # as the admin site would

    assert marks_api.get("/api/v1/campaigns/").status_code == 401


def test_a_deactivated_user_is_refused_at_once(marks_api, mark):
    mark.is_active = False
    mark.save()

    assert marks_api.get("/api/v1/campaigns/").status_code == 401


def test_a_role_change_applies_to_the_next_request(marks_api, mark, acme):
    membership_set(workspace=acme, user=mark, role=Role.VIEWER)

    response = marks_api.post("/api/v1/campaigns/", {"name": "Not allowed any more"}, format="json")

    assert response.status_code == 403


def test_a_lookup_that_raced_a_change_does_not_store_what_it_read(mark, acme, api_for):
    raw_key = api_for(mark, acme).raw_key
    prefix = raw_key.split("_")[1]
    read_at = time.time() - 1  # read before the change below
    stale = _api_key_load(prefix)
    api_key_revoke(api_key=APIKey.objects.get(prefix=prefix))  # forgets the prefix

    _api_key_remember(stale, read_at=read_at)

    assert api_key_authenticate(raw_key) is None


def test_forgetting_an_unknown_prefix_is_harmless():
    api_key_cache_forget(["nothere1"])
    api_key_cache_forget([])
