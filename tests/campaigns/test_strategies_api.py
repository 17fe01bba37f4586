import threading

import pytest
from django.db import connection

from campaigns.models import Campaign, Strategy
from tests.campaigns.test_strategy_versions import FULL

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(acme, mark):
    return Campaign.objects.create(workspace=acme, name="Fintech CFOs", owner=mark)


def url(campaign, suffix=""):
    return f"/api/v1/campaigns/{campaign.pk}/strategies/{suffix}"


def test_it_creates_versions_and_lists_them_newest_first(api_for, mark, acme, campaign):
    api = api_for(mark, acme)

    first = api.post(url(campaign), FULL, format="json")
    second = api.post(url(campaign), {**FULL, "cadence": "daily"}, format="json")
    listing = api.get(url(campaign))

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["version"] == 2 and second.json()["author"] == "mark"
    assert [s["version"] for s in listing.json()["results"]] == [2, 1]
    assert [s["is_valid"] for s in listing.json()["results"]] == [True, False]


def test_current_answers_the_newest_valid_version_or_404(api_for, mark, acme, campaign):
    api = api_for(mark, acme)
    assert api.get(url(campaign, "current/")).status_code == 404

    api.post(url(campaign), FULL, format="json")
    api.post(url(campaign), FULL, format="json")
    api.post(url(campaign, "2/invalidate/"), {"reason": "Wrong audience"}, format="json")

    response = api.get(url(campaign, "current/"))
    assert response.status_code == 404  # v1 superseded, v2 invalidated: nothing valid
    assert response["Content-Type"] == "application/problem+json"
    api.post(url(campaign), FULL, format="json")
    assert api.get(url(campaign, "current/")).json()["version"] == 3


def test_it_reads_one_version_and_its_completeness(api_for, mark, acme, campaign):
    api = api_for(mark, acme)
    api.post(url(campaign), {"platforms": ["email"], "target_audience": "CFOs"}, format="json")

    detail = api.get(url(campaign, "1/"))
    report = api.get(url(campaign, "1/completeness/")).json()

    assert detail.json()["platforms"] == ["email"]
    assert report["version"] == 1
    assert 0 < report["score"] < 100
    assert {m["field"] for m in report["missing"]} >= {"goals", "brand_tone", "cadence"}
    assert [w["field"] for w in report["weak"]] == ["target_audience"]
    assert "schedule" in report["blocks"]


def test_it_refuses_invalidating_without_reason_or_twice(api_for, mark, acme, campaign):
    api = api_for(mark, acme)
    api.post(url(campaign), FULL, format="json")

    no_reason = api.post(url(campaign, "1/invalidate/"), {}, format="json")
    first = api.post(url(campaign, "1/invalidate/"), {"reason": "Outdated"}, format="json")
    again = api.post(url(campaign, "1/invalidate/"), {"reason": "Outdated"}, format="json")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert first.status_code == 200 and first.json()["invalidation_reason"] == "Outdated"
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"platforms": "email"}, "platforms"),
        ({"goals": ["x" * 301]}, "goals.0"),
        ({"target_audience": "x" * 2001}, "target_audience"),
        ({"content_pillars": [f"p{i}" for i in range(13)]}, "content_pillars"),
        ({"ads_config": {"nested": {"too": "deep"}}}, "ads_config"),
        ({"ads_config": []}, "ads_config"),
        ({"version": 7}, "version"),
    ],
)
def test_it_rejects_wrong_types_and_absurd_lengths(api_for, mark, acme, campaign, body, field):
    response = api_for(mark, acme).post(url(campaign), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Strategy.objects.exists()


def test_a_viewer_cannot_write_a_strategy(api_for, vic, acme, campaign):
    response = api_for(vic, acme).post(url(campaign), FULL, format="json")

    assert response.status_code == 403
    assert not Strategy.objects.exists()


def test_another_workspaces_campaign_is_a_404(api_for, bob, globex, campaign):
    api = api_for(bob, globex)

    assert api.get(url(campaign)).status_code == 404
    assert api.post(url(campaign), FULL, format="json").status_code == 404


def test_the_version_list_query_count_is_fixed(api_for, mark, acme, campaign, django_assert_num_queries):
    api = api_for(mark, acme)
    for _ in range(3):
        api.post(url(campaign), FULL, format="json")

    # campaign, count, page of versions with authors (the key, used above, is cached)
    with django_assert_num_queries(3):
        response = api.get(url(campaign))
    assert response.json()["count"] == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_consecutive_versions_on_postgres(postgres, api_for, acme, mark):
    campaign = Campaign.objects.create(workspace=acme, name="Race", owner=mark)
    clients = [api_for(mark, acme) for _ in range(5)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def post(client):
        barrier.wait()
        statuses.append(client.post(url(campaign), FULL, format="json").status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * 5
    assert sorted(Strategy.objects.filter(campaign=campaign).values_list("version", flat=True)) == [1, 2, 3, 4, 5]
