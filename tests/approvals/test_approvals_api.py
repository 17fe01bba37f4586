import threading

import pytest
from django.db import connection

from approvals.models import ApprovalDecision, Publication
from campaigns.models import Campaign
from tests.campaigns.test_strategy_versions import FULL

pytestmark = pytest.mark.django_db
SCOPES = ["strategy", "content", "schedule", "ads"]


@pytest.fixture
def campaign(acme, mark, api_for):
    campaign = Campaign.objects.create(workspace=acme, name="Fintech CFOs", owner=mark)
    api = api_for(mark, acme)
    api.post(f"/api/v1/campaigns/{campaign.pk}/strategies/", FULL, format="json")
    api.post(f"/api/v1/campaigns/{campaign.pk}/approvals/initialize/", {}, format="json")
    return campaign


def url(campaign, suffix):
    return f"/api/v1/campaigns/{campaign.pk}/{suffix}"


def test_initialize_sets_up_the_chosen_scopes(api_for, mark, acme):
    campaign = Campaign.objects.create(workspace=acme, name="Email only")
    api = api_for(mark, acme)

    response = api.post(url(campaign, "approvals/initialize/"), {"scopes": ["strategy", "content"]}, format="json")

    assert response.status_code == 200
    assert [s["scope"] for s in response.json()["scopes"]] == ["strategy", "content"]
    assert {s["status"] for s in response.json()["scopes"]} == {"pending"}


def test_initialize_rejects_an_unknown_scope(api_for, mark, acme, campaign):
    response = api_for(mark, acme).post(url(campaign, "approvals/initialize/"), {"scopes": ["radio"]}, format="json")

    assert response.status_code == 400
    assert "scopes.0" in response.json()["errors"]


def test_an_approver_approves_every_scope_and_the_marketer_publishes(api_for, mark, april, acme, campaign):
    approver, marketer = api_for(april, acme), api_for(mark, acme)
    assert marketer.post(url(campaign, "publish/")).status_code == 409

    for scope in SCOPES:
        response = approver.post(url(campaign, f"approvals/{scope}/approve/"), {"strategy_version": 1}, format="json")
        assert response.status_code == 200, response.json()
    check = marketer.get(url(campaign, "approvals/check-publish/")).json()
    published = marketer.post(url(campaign, "publish/"))

    assert check == {"ready": True, "strategy_version": 1, "blockers": []}
    assert published.status_code == 201
    assert published.json()["strategy_version"] == 1
    assert set(published.json()["approvals"]) == set(SCOPES)


def test_a_new_version_resets_approvals_and_publish_is_refused_with_reasons(api_for, mark, april, acme, campaign):
    approver, marketer = api_for(april, acme), api_for(mark, acme)
    for scope in SCOPES:
        approver.post(url(campaign, f"approvals/{scope}/approve/"), {}, format="json")

    marketer.post(url(campaign, "strategies/"), {**FULL, "cadence": "daily"}, format="json")
    refused = marketer.post(url(campaign, "publish/"))
    state = marketer.get(url(campaign, "approvals/")).json()

    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert [b["scope"] for b in refused.json()["blockers"]] == SCOPES
    assert refused.json()["blockers"][0]["reason"] == "Strategy approval is pending."
    assert state["current_version"] == 2
    assert [s["counts"] for s in state["scopes"]] == [False] * 4
    history = marketer.get(url(campaign, "approvals/history/?kind=reset")).json()
    assert history["count"] == 4
    assert "superseded by version 2" in history["results"][0]["comment"]


def test_only_approvers_decide(api_for, mark, vic, alice, acme, campaign):
    for user in (mark, vic, alice):
        response = api_for(user, acme).post(url(campaign, "approvals/strategy/approve/"), {}, format="json")
        assert response.status_code == 403, user.username
    assert not ApprovalDecision.objects.filter(kind="approved").exists()


def test_rejecting_needs_a_comment_and_the_reason_reaches_the_blockers(api_for, april, mark, acme, campaign):
    approver = api_for(april, acme)

    bare = approver.post(url(campaign, "approvals/content/reject/"), {}, format="json")
    rejected = approver.post(url(campaign, "approvals/content/reject/"), {"comment": "Tone is off"}, format="json")
    blockers = api_for(mark, acme).get(url(campaign, "approvals/check-publish/")).json()["blockers"]

    assert bare.status_code == 400 and "comment" in bare.json()["errors"]
    assert rejected.status_code == 200
    assert {"code": "scope_rejected", "scope": "content", "reason": "Content was rejected by april: Tone is off"} in blockers


def test_bad_decisions_are_clear_problems_and_change_nothing(api_for, april, acme, campaign):
    approver = api_for(april, acme)
    approver.post(url(campaign, "approvals/ads/approve/"), {}, format="json")
    before = ApprovalDecision.objects.count()

    unknown = approver.post(url(campaign, "approvals/radio/approve/"), {}, format="json")
    twice = approver.post(url(campaign, "approvals/ads/approve/"), {}, format="json")
    stale = approver.post(url(campaign, "approvals/content/approve/"), {"strategy_version": 9}, format="json")
    typo = approver.post(url(campaign, "approvals/content/approve/"), {"coment": "x"}, format="json")

    assert [r.status_code for r in (unknown, twice, stale, typo)] == [404, 409, 409, 400]
    assert stale.json()["current_version"] == 1
    assert ApprovalDecision.objects.count() == before


def test_an_approver_cannot_approve_their_own_strategy(api_for, april, acme):
    campaign = Campaign.objects.create(workspace=acme, name="Own")
    approver = api_for(april, acme)
    approver.post(url(campaign, "strategies/"), FULL, format="json")
    approver.post(url(campaign, "approvals/initialize/"), {}, format="json")

    response = approver.post(url(campaign, "approvals/strategy/approve/"), {}, format="json")

    assert response.status_code == 403
    assert response.json()["type"].endswith("/self-approval")


def test_the_audit_trail_lists_every_decision(api_for, april, mark, acme, campaign):
    api_for(april, acme).post(url(campaign, "approvals/schedule/approve/"), {"comment": "Fine"}, format="json")

    history = api_for(mark, acme).get(url(campaign, "approvals/history/")).json()

    latest = history["results"][0]
    assert (latest["scope"], latest["kind"], latest["actor"], latest["strategy_version"], latest["comment"]) == (
        "schedule", "approved", "april", 1, "Fine")
    assert history["count"] == 5  # four "required" rows from initialize, one approval


def test_another_workspace_sees_none_of_it(api_for, bob, globex, campaign):
    api = api_for(bob, globex)
    for path in ("approvals/", "approvals/history/", "approvals/check-publish/"):
        assert api.get(url(campaign, path)).status_code == 404
    assert api.post(url(campaign, "publish/")).status_code == 404


def test_the_history_query_count_is_fixed(api_for, april, mark, acme, campaign, django_assert_num_queries):
    approver = api_for(april, acme)
    for scope in SCOPES:
        approver.post(url(campaign, f"approvals/{scope}/approve/"), {}, format="json")
    api = api_for(mark, acme)
    api.get(url(campaign, "approvals/"))  # first use of a key records last_used_at

    # campaign, count, page of decisions with actors (the key, used above, is cached)
    with django_assert_num_queries(3):
        api.get(url(campaign, "approvals/history/"))


@pytest.mark.django_db(transaction=True)
def test_publish_racing_a_new_version_over_http_never_publishes_stale_approvals(postgres, api_for, acme, mark, april):
    marketer_a, marketer_b, approver = api_for(mark, acme), api_for(mark, acme), api_for(april, acme)
    for attempt in range(4):
        campaign = Campaign.objects.create(workspace=acme, name=f"Race {attempt}")
        marketer_a.post(url(campaign, "strategies/"), FULL, format="json")
        marketer_a.post(url(campaign, "approvals/initialize/"), {}, format="json")
        for scope in SCOPES:
            approver.post(url(campaign, f"approvals/{scope}/approve/"), {}, format="json")
        barrier = threading.Barrier(2)
        results = {}

        def publish(c=campaign, barrier=barrier, results=results):
            barrier.wait()
            results["publish"] = marketer_a.post(url(c, "publish/")).status_code
            connection.close()

        def new_version(c=campaign, barrier=barrier, results=results):
            barrier.wait()
            results["version"] = marketer_b.post(url(c, "strategies/"), FULL, format="json").status_code
            connection.close()

        threads = [threading.Thread(target=publish), threading.Thread(target=new_version)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert results["version"] == 201
        published = list(Publication.objects.filter(campaign=campaign).values_list("strategy_version", flat=True))
        assert (results["publish"], published) in ((201, [1]), (409, []))
