import threading

import pytest
from django.db import connection

from campaigns.models import Campaign, Strategy
from campaigns.services import strategy_invalidate, strategy_version_create
from core.api.problems import Problem

FULL = {
    "platforms": ["email", "linkedin"],
    "goals": ["20 qualified meetings in Q1"],
    "target_audience": "Finance leaders at Series B–D fintechs outgrowing spreadsheets for close.",
    "content_pillars": ["5-day close", "audit trail"],
    "brand_tone": "plain-spoken, expert, no hype",
    "constraints": "No claims about compliance certifications.",
    "cadence": "2 posts and 1 email a week",
    "ads_config": {"budget": 5000, "objective": "leads"},
}


@pytest.fixture
def campaign(acme, mark):
    return Campaign.objects.create(workspace=acme, name="Fintech CFOs", owner=mark)


def test_it_numbers_versions_from_one_and_keeps_the_newest_valid(campaign, mark):
    first = strategy_version_create(campaign=campaign, data=FULL, author=mark)
    second = strategy_version_create(campaign=campaign, data={**FULL, "cadence": "daily"}, author=mark)

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert not first.is_valid
    assert first.invalidation_reason == "Superseded by version 2."
    assert second.is_valid


def test_it_refuses_to_change_a_saved_version(campaign, mark):
    strategy = strategy_version_create(campaign=campaign, data=FULL, author=mark)
    strategy.cadence = "hourly"

    with pytest.raises(ValueError, match="immutable"):
        strategy.save()


def test_it_refuses_to_invalidate_twice(campaign, mark):
    strategy = strategy_version_create(campaign=campaign, data=FULL, author=mark)
    strategy_invalidate(strategy=strategy, reason="Wrong audience", by=mark)

    with pytest.raises(Problem) as caught:
        strategy_invalidate(strategy=strategy, reason="Again", by=mark)
    assert caught.value.status_code == 409


def test_it_requires_a_reason_to_invalidate(campaign, mark):
    strategy = strategy_version_create(campaign=campaign, data=FULL, author=mark)

    with pytest.raises(Problem) as caught:
        strategy_invalidate(strategy=strategy, reason="  ", by=mark)
    assert caught.value.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_get_consecutive_versions_on_postgres(postgres, acme, mark):
    campaign = Campaign.objects.create(workspace=acme, name="Race", owner=mark)
    barrier = threading.Barrier(6)
    errors = []

    def save():
        try:
            barrier.wait()
            strategy_version_create(campaign=campaign, data=FULL, author=mark)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    versions = sorted(Strategy.objects.filter(campaign=campaign).values_list("version", flat=True))
    assert versions == [1, 2, 3, 4, 5, 6]
    assert Strategy.objects.filter(campaign=campaign, invalidated_at__isnull=True).count() == 1
