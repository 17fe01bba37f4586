import threading

import pytest
from django.db import connection

from approvals.models import ApprovalDecision, ApprovalScope, DecisionKind, Publication
from approvals.services import (
    approval_decide,
    approvals_initialize,
    campaign_publish,
    publish_readiness,
)
from campaigns.models import Campaign
from campaigns.services import strategy_version_create
from core.api.problems import Problem
from tests.campaigns.test_strategy_versions import FULL


@pytest.fixture
def campaign(acme, mark):
    campaign = Campaign.objects.create(workspace=acme, name="Fintech CFOs", owner=mark)
    strategy_version_create(campaign=campaign, data=FULL, author=mark)
    approvals_initialize(campaign=campaign, scopes=None, by=mark)
    return campaign


def approve_all(campaign, approver):
    for scope in ("strategy", "content", "schedule", "ads"):
        approval_decide(campaign=campaign, scope=scope, approve=True, user=approver)


def test_it_blocks_publishing_until_every_scope_is_approved(campaign, april):
    readiness = publish_readiness(campaign)

    assert not readiness.ready
    assert [b["scope"] for b in readiness.blockers] == ["strategy", "content", "schedule", "ads"]
    assert readiness.blockers[0]["reason"] == "Strategy approval is pending."


def test_it_publishes_when_ready_and_records_what_was_approved(campaign, april, mark):
    approve_all(campaign, april)

    publication = campaign_publish(campaign=campaign, by=mark)

    campaign.refresh_from_db()
    assert campaign.published_strategy_version == 1
    assert set(publication.approvals) == {"strategy", "content", "schedule", "ads"}


def test_a_new_version_resets_approvals_and_says_why(campaign, april, mark):
    approve_all(campaign, april)

    strategy_version_create(campaign=campaign, data={**FULL, "cadence": "daily"}, author=mark)

    assert set(ApprovalScope.objects.filter(campaign=campaign).values_list("status", flat=True)) == {"pending"}
    resets = ApprovalDecision.objects.filter(campaign=campaign, kind=DecisionKind.RESET)
    assert resets.count() == 4
    assert "superseded by version 2" in resets.first().comment
    with pytest.raises(Problem) as caught:
        campaign_publish(campaign=campaign, by=mark)
    assert caught.value.status_code == 409
    assert {b["code"] for b in caught.value.extra["blockers"]} == {"scope_pending"}


def test_it_refuses_a_decision_against_a_version_the_approver_did_not_review(campaign, april, mark):
    strategy_version_create(campaign=campaign, data=FULL, author=mark)

    with pytest.raises(Problem) as caught:
        approval_decide(campaign=campaign, scope="strategy", approve=True, user=april, expected_version=1)

    assert caught.value.status_code == 409
    assert caught.value.extra["current_version"] == 2


def test_it_refuses_self_approval_of_a_strategy_unless_the_workspace_allows_it(acme, april):
    campaign = Campaign.objects.create(workspace=acme, name="Own")
    strategy_version_create(campaign=campaign, data=FULL, author=april)
    approvals_initialize(campaign=campaign, scopes=["strategy"], by=april)

    with pytest.raises(Problem) as caught:
        approval_decide(campaign=campaign, scope="strategy", approve=True, user=april)
    assert caught.value.status_code == 403

    acme.allow_self_approval = True
    acme.save()
    campaign.refresh_from_db()
    assert approval_decide(campaign=campaign, scope="strategy", approve=True, user=april).status == "approved"


def test_it_refuses_rejecting_without_a_comment_and_approving_twice(campaign, april):
    with pytest.raises(Problem) as no_comment:
        approval_decide(campaign=campaign, scope="content", approve=False, user=april, comment=" ")
    approval_decide(campaign=campaign, scope="content", approve=True, user=april)
    with pytest.raises(Problem) as twice:
        approval_decide(campaign=campaign, scope="content", approve=True, user=april)

    assert (no_comment.value.status_code, twice.value.status_code) == (400, 409)


def test_the_audit_trail_cannot_be_edited(campaign, april):
    approval_decide(campaign=campaign, scope="content", approve=True, user=april)
    decision = ApprovalDecision.objects.filter(kind=DecisionKind.APPROVED).get()

    with pytest.raises(ValueError):
        decision.save()
    with pytest.raises(ValueError):
        decision.delete()


def _race(*callables):
    barrier = threading.Barrier(len(callables))
    outcomes = [None] * len(callables)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # the outcome is asserted by the caller
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_publish_racing_a_new_version_never_publishes_stale_approvals(postgres, acme, mark, april):
    for attempt in range(5):
        campaign = Campaign.objects.create(workspace=acme, name=f"Race {attempt}", owner=mark)
        strategy_version_create(campaign=campaign, data=FULL, author=mark)
        approvals_initialize(campaign=campaign, scopes=None, by=mark)
        approve_all(campaign, april)

        _race(
            lambda c=campaign: campaign_publish(campaign=c, by=mark),
            lambda c=campaign: strategy_version_create(campaign=c, data=FULL, author=mark),
        )

        # Either the publish came first (version 1 published, then reset) or the new
        # version came first (publish refused). Never a publication of version 2.
        assert list(Publication.objects.filter(campaign=campaign).values_list("strategy_version", flat=True)) in ([], [1])


@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_new_version_is_never_counted_for_the_new_version(postgres, acme, mark, april):
    for attempt in range(5):
        campaign = Campaign.objects.create(workspace=acme, name=f"Race {attempt}", owner=mark)
        strategy_version_create(campaign=campaign, data=FULL, author=mark)
        approvals_initialize(campaign=campaign, scopes=["strategy"], by=mark)

        _race(
            lambda c=campaign: approval_decide(campaign=c, scope="strategy", approve=True, user=april, expected_version=1),
            lambda c=campaign: strategy_version_create(campaign=c, data=FULL, author=mark),
        )

        row = ApprovalScope.objects.get(campaign=campaign)
        assert (row.status, row.strategy_version) == ("pending", None)
        assert not publish_readiness(campaign).ready
