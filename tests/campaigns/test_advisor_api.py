import pytest

from campaigns.models import Campaign
from tests.campaigns.test_strategy_versions import FULL

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(acme, mark):
    return Campaign.objects.create(workspace=acme, name="Fintech CFOs", owner=mark)


def url(campaign, suffix):
    return f"/api/v1/campaigns/{campaign.pk}/advisor/{suffix}"


def test_a_new_campaign_is_blocked_by_its_missing_strategy(api_for, mark, acme, campaign):
    api = api_for(mark, acme)

    blockers = api.get(url(campaign, "blockers/")).json()["blockers"]
    evaluation = api.get(url(campaign, "evaluate/")).json()

    assert blockers[0]["key"] == "strategy.none"
    assert blockers[0]["severity"] == "critical"
    assert blockers[0]["url"] == f"/campaigns/{campaign.pk}/strategy/edit/"
    assert evaluation["overall"] == 0
    assert set(evaluation["areas"]) == {"strategy", "approvals", "content", "schedule", "leads"}


def test_blockers_are_ordered_by_severity(api_for, mark, april, acme, campaign):
    api = api_for(mark, acme)
    api.post(f"/api/v1/campaigns/{campaign.pk}/strategies/", FULL, format="json")
    api.post(f"/api/v1/campaigns/{campaign.pk}/approvals/initialize/", {}, format="json")
    api_for(april, acme).post(f"/api/v1/campaigns/{campaign.pk}/approvals/ads/reject/", {"comment": "No budget"},
                              format="json")

    blockers = api.get(url(campaign, "blockers/")).json()["blockers"]

    assert blockers[0]["key"] == "approvals.scope_rejected.ads"
    assert [b["severity"] for b in blockers] == ["critical", "medium", "medium", "medium"]


def test_scores_rise_as_the_campaign_fills_in(api_for, mark, april, acme, campaign):
    api = api_for(mark, acme)
    api.post(f"/api/v1/campaigns/{campaign.pk}/strategies/", {"platforms": ["email"]}, format="json")
    thin = api.get(url(campaign, "evaluate/")).json()
    api.post(f"/api/v1/campaigns/{campaign.pk}/strategies/", FULL, format="json")
    api.post(f"/api/v1/campaigns/{campaign.pk}/approvals/initialize/", {"scopes": ["strategy"]}, format="json")
    api_for(april, acme).post(f"/api/v1/campaigns/{campaign.pk}/approvals/strategy/approve/", {}, format="json")
    full = api.get(url(campaign, "evaluate/")).json()

    assert thin["areas"]["strategy"]["score"] < full["areas"]["strategy"]["score"] == 100
    assert full["areas"]["approvals"] == {"score": 100, "summary": "1 of 1 scopes approved."}
    assert thin["overall"] < full["overall"]


def test_dismissed_and_snoozed_recommendations_are_not_repeated(api_for, mark, acme, campaign):
    api = api_for(mark, acme)
    api.post(f"/api/v1/campaigns/{campaign.pk}/strategies/", {"platforms": ["email"]}, format="json")
    keys = [r["key"] for r in api.get(url(campaign, "recommendations/")).json()["recommendations"]]
    assert {"strategy.missing.goals", "strategy.missing.cadence"} <= set(keys)

    dismissed = api.post(url(campaign, "responses/"), {"recommendation_key": "strategy.missing.goals",
                                                       "response": "dismissed"}, format="json")
    snoozed = api.post(url(campaign, "responses/"), {"recommendation_key": "strategy.missing.cadence",
                                                     "response": "snoozed", "snooze_days": 2}, format="json")
    after = [r["key"] for r in api.get(url(campaign, "recommendations/")).json()["recommendations"]]

    assert (dismissed.status_code, snoozed.status_code) == (201, 201)
    assert snoozed.json()["snoozed_until"] is not None
    assert "strategy.missing.goals" not in after and "strategy.missing.cadence" not in after


def test_an_expired_snooze_brings_the_recommendation_back(api_for, mark, acme, campaign):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import AdvisorResponse

    api = api_for(mark, acme)
    api.post(f"/api/v1/campaigns/{campaign.pk}/strategies/", {"platforms": ["email"]}, format="json")
    api.post(url(campaign, "responses/"), {"recommendation_key": "strategy.missing.goals", "response": "snoozed"},
             format="json")
    AdvisorResponse.objects.update(snoozed_until=timezone.now() - timedelta(minutes=1))

    keys = [r["key"] for r in api.get(url(campaign, "recommendations/")).json()["recommendations"]]

    assert "strategy.missing.goals" in keys


def test_a_response_needs_a_known_kind(api_for, mark, acme, campaign):
    response = api_for(mark, acme).post(url(campaign, "responses/"), {"recommendation_key": "x", "response": "maybe"},
                                        format="json")

    assert response.status_code == 400
    assert "response" in response.json()["errors"]
