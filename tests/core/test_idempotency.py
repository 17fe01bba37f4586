"""Idempotency-Key on creating POSTs: a retried request never creates a second object."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.response import Response

from accounts.models import APIKey
from campaigns.models import Campaign
from core.idempotency import request_fingerprint
from core.models import IdempotencyKey
from core.tasks import purge_idempotency_keys

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"
SPRING = {"name": "Spring launch", "target_niche": "Dental clinics"}


@pytest.fixture
def marks_api(api_for, mark, acme):
    return api_for(mark, acme)


def post(client, body=SPRING, *, key="order-1", url=CAMPAIGNS):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def in_progress_record(workspace, *, key: str, body: dict, locked_at=None) -> IdempotencyKey:
    now = timezone.now()
    return IdempotencyKey.objects.create(
        scope=f"ws:{workspace.pk}", key=key,
        fingerprint=request_fingerprint("POST", CAMPAIGNS, json.dumps(body).encode()),
        locked_at=locked_at or now, expires_at=now + timedelta(hours=24),
    )


def test_it_replays_the_first_response_for_a_retried_request(marks_api):
    first = post(marks_api)
    retry = post(marks_api)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Campaign.objects.count() == 1


def test_it_treats_the_same_json_written_differently_as_the_same_request(marks_api):
    post(marks_api)
    retry = marks_api.post(CAMPAIGNS, data='{ "target_niche": "Dental clinics",  "name": "Spring launch" }',
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY="order-1")

    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert Campaign.objects.count() == 1


def test_it_refuses_a_key_reused_for_a_different_request(marks_api):
    post(marks_api)

    response = post(marks_api, {**SPRING, "name": "Autumn launch"})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/idempotency-key-reused")
    assert list(Campaign.objects.values_list("name", flat=True)) == ["Spring launch"]


def test_it_refuses_a_key_reused_on_another_endpoint(marks_api):
    campaign_id = post(marks_api).json()["id"]

    response = post(marks_api, {}, url=f"{CAMPAIGNS}{campaign_id}/archive/")

    assert response.status_code == 422
    assert Campaign.objects.get().active is True


def test_it_answers_409_while_the_first_request_is_in_flight(marks_api, acme):
    in_progress_record(acme, key="order-1", body=SPRING)

    response = post(marks_api)

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/idempotency-in-progress")
    assert not Campaign.objects.exists()


def test_it_lets_a_retry_take_over_a_request_that_died_in_flight(marks_api, acme):
    in_progress_record(acme, key="order-1", body=SPRING, locked_at=timezone.now() - timedelta(minutes=10))

    response = post(marks_api)

    assert response.status_code == 201
    assert Campaign.objects.count() == 1
    assert post(marks_api)["Idempotent-Replayed"] == "true"


def test_it_scopes_keys_to_the_workspace(api_for, mark, acme, bob, globex):
    in_acme = post(api_for(mark, acme))
    in_globex = post(api_for(bob, globex))

    assert in_acme.status_code == in_globex.status_code == 201
    assert "Idempotent-Replayed" not in in_globex
    assert Campaign.objects.for_workspace(acme).count() == 1
    assert Campaign.objects.for_workspace(globex).count() == 1


def test_it_shares_keys_between_the_callers_of_one_workspace(api_for, mark, alice, acme):
    post(api_for(mark, acme))

    response = post(api_for(alice, acme))

    assert response["Idempotent-Replayed"] == "true"
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("key", ["k" * 256, "clé-1", "   ", "tab\there"], ids=["too-long", "non-ascii", "blank", "control"])
def test_it_rejects_an_invalid_key(marks_api, key):
    response = post(marks_api, key=key)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Campaign.objects.exists()


def test_it_accepts_the_longest_valid_key(marks_api):
    assert post(marks_api, key="k" * 255).status_code == 201


def test_it_forgets_a_key_after_it_expires(marks_api):
    post(marks_api)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = post(marks_api, {**SPRING, "name": "Autumn launch"})

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Campaign.objects.count() == 2


def test_it_keeps_a_key_for_at_least_24_hours(marks_api):
    post(marks_api)

    record = IdempotencyKey.objects.get()
    assert record.expires_at - record.created_at >= timedelta(hours=24) - timedelta(seconds=1)


def test_it_releases_the_key_when_the_request_crashes(marks_api, monkeypatch):
    def crash(**_):
        raise RuntimeError("database fell over")

    monkeypatch.setattr("campaigns.api.views.campaign_create", crash)
    marks_api.raise_request_exception = False

    crashed = post(marks_api)

    assert crashed.status_code == 500
    assert crashed["Content-Type"] == "application/problem+json"
    assert not IdempotencyKey.objects.exists()
    monkeypatch.undo()
    assert post(marks_api).status_code == 201


def test_it_releases_the_key_when_the_response_is_a_server_error(marks_api, monkeypatch):
    monkeypatch.setattr("campaigns.api.views.CampaignViewSet.create",
                        lambda self, request, *a, **kw: Response({"detail": "busy"}, status=503))

    assert post(marks_api).status_code == 503
    assert not IdempotencyKey.objects.exists()


def test_it_replays_a_validation_error_as_a_problem(marks_api):
    first = post(marks_api, {"name": ""})
    retry = post(marks_api, {"name": ""})

    assert first.status_code == retry.status_code == 400
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["Content-Type"] == first["Content-Type"] == "application/problem+json"
    assert retry.json() == first.json()


def test_it_never_spends_a_key_on_a_refused_request(api_for, vic, alice, acme):
    refused = post(api_for(vic, acme))

    assert refused.status_code == 403
    assert not IdempotencyKey.objects.exists()
    assert post(api_for(alice, acme)).status_code == 201


def test_it_works_without_a_key(marks_api):
    marks_api.post(CAMPAIGNS, SPRING, format="json")
    marks_api.post(CAMPAIGNS, SPRING, format="json")

    assert Campaign.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_it_never_stores_or_replays_an_api_key_secret(api_for, alice, acme):
    client = api_for(alice, acme)

    first = post(client, {"name": "CRM sync"}, url="/api/v1/api-keys/")
    retry = post(client, {"name": "CRM sync"}, url="/api/v1/api-keys/")

    assert first.status_code == retry.status_code == 201
    assert first.json()["key"].startswith("ld_")
    assert retry.json()["key"] is None
    assert retry.json()["id"] == first.json()["id"]
    assert first.json()["key"] not in json.dumps(IdempotencyKey.objects.get().response_body)
    assert APIKey.objects.filter(name="CRM sync").count() == 1


def test_it_purges_expired_keys(acme):
    now = timezone.now()
    for key, expires_at in (("old", now - timedelta(minutes=1)), ("fresh", now + timedelta(hours=1))):
        IdempotencyKey.objects.create(scope=f"ws:{acme.pk}", key=key, fingerprint="x", locked_at=now,
                                      expires_at=expires_at)

    assert purge_idempotency_keys.delay().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


# --- real concurrency on PostgreSQL --------------------------------------------------------

def _in_threads(*calls):
    """Run each call in its own thread (each with its own database connection)."""
    results = [None] * len(calls)

    def run(index, call):
        try:
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_racing_requests_create(postgres, api_for, mark, acme):
    clients = [api_for(mark, acme), api_for(mark, acme)]
    start = threading.Barrier(2)

    def racer(client):
        def call():
            start.wait()
            return post(client)
        return call

    responses = _in_threads(*(racer(c) for c in clients))

    assert Campaign.objects.count() == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([201, 201], [201, 409])
    if statuses == [201, 201]:
        assert [r.get("Idempotent-Replayed") for r in responses].count("true") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_answers_409_to_a_retry_sent_while_the_first_runs(postgres, api_for, mark, acme, monkeypatch):
    from campaigns.services import campaign_create

    entered, release = threading.Event(), threading.Event()

    def slow_create(**kwargs):
        entered.set()
        release.wait(timeout=30)
        return campaign_create(**kwargs)

    monkeypatch.setattr("campaigns.api.views.campaign_create", slow_create)
    first_client, retry_client = api_for(mark, acme), api_for(mark, acme)

    def retry_once_first_is_running():
        entered.wait(timeout=30)
        try:
            return post(retry_client)
        finally:
            release.set()

    first, retry = _in_threads(lambda: post(first_client), retry_once_first_is_running)

    assert first.status_code == 201
    assert retry.status_code == 409
    assert Campaign.objects.count() == 1
    assert post(retry_client)["Idempotent-Replayed"] == "true"
