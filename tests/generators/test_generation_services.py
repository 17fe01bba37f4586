"""Running a generation: site facts and ICP once, parts in parallel, each with its own fate,
a cache in front, and every event stored in order."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Strategy
from generators.enrichment import ProviderResult
from generators.models import Generation, GenerationEvent
from generators.selectors import generation_envelopes
from generators.services import (
    generation_cache_key,
    generation_create,
    generation_run,
    generation_save_as_strategy,
    generation_to_strategy_data,
    normalise_website,
)
from tests.factories import campaign_make, strategy_make
from tests.generators.generation_fixtures import PROVIDED_ICP, event_types

pytestmark = pytest.mark.django_db


def _generate(acme, alice, site, *, kind="complete", icp=None, refresh=False) -> Generation:
    generation = generation_create(workspace=acme, user=alice, kind=kind, website=site.url("/"), icp=icp,
                                   refresh=refresh)
    return generation_run(generation.pk)


def _envelopes(generation) -> list[dict]:
    """The generation's events as every stream reads them."""
    return generation_envelopes(generation_id=generation.pk)


def test_it_writes_the_complete_package_from_an_inferred_icp(acme, alice, site):
    generation = _generate(acme, alice, site)

    assert generation.status == "completed"
    assert generation.icp_source == "inferred"
    assert set(generation.parts) == {"positioning", "email_pack", "enrichment"}
    assert all(state["status"] == "completed" and state["error"] is None for state in generation.parts.values())
    assert all(isinstance(state["duration_ms"], int) for state in generation.parts.values())
    assert generation.result["facts"]["name"] == "Relaypoint"
    assert generation.result["icp"]["source"] == "inferred"
    assert 4 <= len(generation.result["email_pack"]["emails"]) <= 6
    assert generation.result["positioning"]["messaging_pillars"]
    assert generation.result["enrichment"]["data_points"]
    assert generation.duration_ms is not None and generation.finished_at >= generation.started_at
    assert not generation.cache_hit


def test_it_reads_the_site_once_for_all_three_parts(acme, alice, site):
    _generate(acme, alice, site)

    assert site.paths().count("/") == 1


def test_it_writes_for_a_provided_icp(acme, alice, site):
    generation = _generate(acme, alice, site, kind="positioning", icp=PROVIDED_ICP)

    assert generation.status == "completed"
    assert generation.icp_source == "provided"
    assert generation.icp_input["roles"] == ["VP of Revenue Operations", "CFO"]
    assert generation.result["icp"]["roles"]["values"] == ["VP of Revenue Operations", "CFO"]
    assert list(generation.parts) == ["positioning"]
    assert set(generation.result) == {"facts", "icp", "positioning"}


def test_it_stores_the_events_in_order_without_gaps(acme, alice, site):
    generation = _generate(acme, alice, site)
    envelopes = _envelopes(generation)

    assert [e["seq"] for e in envelopes] == list(range(1, len(envelopes) + 1))
    assert envelopes[0]["type"] == "generation.started"
    assert envelopes[0]["payload"] == {"generation_id": generation.pk, "parts": ["positioning", "email_pack", "enrichment"],
                                       "icp_source": "inferred", "writer": "template"}
    assert envelopes[-1]["type"] == "generation.completed"
    assert envelopes[-1]["payload"]["status"] == "completed"
    for part in ("positioning", "email_pack", "enrichment"):
        types = [e["type"] for e in envelopes if e["payload"].get("part") == part]
        assert types[0] == "part.started" and types[-1] == "part.completed"
        assert "part.delta" in types  # the text streamed while it was written
    completed = {e["payload"]["part"]: e["payload"] for e in envelopes if e["type"] == "part.completed"}
    assert completed["email_pack"]["result"] == generation.result["email_pack"]


def test_one_failing_part_does_not_sink_the_others(acme, alice, site, failing_part):
    failing_part("email_pack")

    generation = _generate(acme, alice, site)

    assert generation.status == "partial"
    assert generation.parts["email_pack"]["status"] == "failed"
    assert generation.parts["email_pack"]["error"] == {"code": "part_failed", "detail": "The email_pack could not be written."}
    assert generation.parts["positioning"]["status"] == "completed"
    assert generation.parts["enrichment"]["status"] == "completed"
    assert "email_pack" not in generation.result
    failed = [e for e in _envelopes(generation) if e["type"] == "part.failed"]
    assert [e["payload"]["part"] for e in failed] == ["email_pack"]


def test_a_part_that_crashes_reports_an_internal_error_and_the_rest_completes(acme, alice, site, monkeypatch):
    from generators import services

    real = services._write_part

    def crash(part, **kwargs):
        if part == "enrichment":
            raise RuntimeError("bug")
        return real(part, **kwargs)

    monkeypatch.setattr(services, "_write_part", crash)
    generation = _generate(acme, alice, site)

    assert generation.status == "partial"
    assert generation.parts["enrichment"]["error"]["code"] == "internal_error"
    assert "bug" not in generation.parts["enrichment"]["error"]["detail"]


def test_a_generation_where_every_part_fails_is_failed(acme, alice, site, failing_part):
    failing_part("positioning")

    generation = _generate(acme, alice, site, kind="positioning")

    assert generation.status == "failed"


def test_a_repeat_comes_from_the_cache_with_its_own_record_and_events(acme, alice, site):
    first = _generate(acme, alice, site, icp=PROVIDED_ICP)
    reads = len(site.received)

    # Same ICP with other spelling and order: the same normalised input.
    icp = {**PROVIDED_ICP, "roles": ["cfo", "VP of Revenue Operations"]}
    second = _generate(acme, alice, site, icp=icp)

    assert second.pk != first.pk
    assert second.cache_hit and not first.cache_hit
    assert len(site.received) == reads  # the site was not read again
    assert second.status == "completed"
    assert second.result == first.result
    assert event_types(_envelopes(second)) == [
        "generation.started",
        "part.started", "part.completed", "part.started", "part.completed", "part.started", "part.completed",
        "generation.completed",
    ]
    assert _envelopes(second)[-1]["payload"]["cache_hit"] is True


def test_refresh_bypasses_the_cache(acme, alice, site):
    _generate(acme, alice, site)
    reads = len(site.received)

    fresh = _generate(acme, alice, site, refresh=True)

    assert not fresh.cache_hit
    assert len(site.received) > reads


def test_the_cache_key_covers_url_icp_kind_and_writer():
    key = dict(website="https://a.example/", icp_input=None, kind="complete", writer_name="template", writer_version="1")

    assert generation_cache_key(**key) == generation_cache_key(**key)
    assert generation_cache_key(**key) != generation_cache_key(**{**key, "kind": "positioning"})
    assert generation_cache_key(**key) != generation_cache_key(**{**key, "writer_version": "2"})
    assert generation_cache_key(**key) != generation_cache_key(**{**key, "website": "https://b.example/"})
    assert generation_cache_key(**key) != generation_cache_key(**{**key, "icp_input": {"roles": ["CFO"]}})


def test_a_partial_result_is_not_cached(acme, alice, site, failing_part):
    failing_part("enrichment")
    _generate(acme, alice, site)

    again = _generate(acme, alice, site)

    assert not again.cache_hit


def test_too_little_text_fails_the_generation_naming_what_is_missing(acme, alice, thin_site):
    generation = _generate(acme, alice, thin_site)

    assert generation.status == "failed"
    assert generation.error["code"] == "insufficient_information"
    assert generation.error["missing"] == ["readable text"]
    assert set(generation.result) == set()
    envelopes = _envelopes(generation)
    assert event_types(envelopes) == ["generation.started", "generation.completed"]
    assert envelopes[-1]["payload"]["error"]["missing"] == ["readable text"]


def test_a_blocked_address_fails_the_generation(acme, alice, site, settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = []

    generation = _generate(acme, alice, site)

    assert generation.status == "failed"
    assert generation.error["missing"] == ["a public website"]


def test_live_enrichment_reports_each_source(acme, alice, site, monkeypatch):
    monkeypatch.setattr("generators.services.enrich_domain", lambda domain: [
        ProviderResult("apollo", "ok", {"name": "Relaypoint", "estimated_num_employees": 120}),
        ProviderResult("clearbit", "not_configured", None, "No CLEARBIT_API_KEY is set."),
    ])

    generation = _generate(acme, alice, site, kind="enrichment")

    live = generation.result["enrichment"]["live_enrichment"]
    assert live["domain"] == "127.0.0.1"
    assert live["sources"] == [
        {"source": "apollo", "status": "ok", "data": {"name": "Relaypoint", "estimated_num_employees": 120}, "error": None},
        {"source": "clearbit", "status": "not_configured", "data": None, "error": "No CLEARBIT_API_KEY is set."},
    ]


def test_a_finished_generation_does_not_run_twice(acme, alice, site):
    generation = _generate(acme, alice, site, kind="positioning")
    count = GenerationEvent.objects.filter(generation=generation).count()

    generation_run(generation.pk)

    assert GenerationEvent.objects.filter(generation=generation).count() == count


@pytest.mark.parametrize(("raw", "normal"), [
    ("Example.com", "https://example.com/"),
    ("  https://EXAMPLE.com:443/#top ", "https://example.com/"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
])
def test_it_normalises_websites(raw, normal):
    assert normalise_website(raw) == normal


@pytest.mark.parametrize("raw", ["", "not a website", "ftp://example.com/", "https://user:pw@example.com/"])
def test_it_refuses_what_is_not_a_website(raw):
    with pytest.raises(ValueError):
        normalise_website(raw)


def test_it_refuses_another_workspaces_campaign(acme, globex, alice):
    with pytest.raises(ValidationError) as error:
        generation_create(workspace=acme, user=alice, kind="complete", website="https://a.example",
                          campaign=campaign_make(globex))

    assert "campaign" in error.value.message_dict


def test_positioning_maps_onto_a_new_strategy_version(acme, alice, site):
    campaign = campaign_make(acme)
    strategy_make(acme, campaign=campaign, platforms=["email", "LinkedIn"], goals=["20 meetings"])
    generation = _generate(acme, alice, site, kind="positioning", icp=PROVIDED_ICP)
    pillars = generation.result["positioning"]["messaging_pillars"]

    strategy = generation_save_as_strategy(generation=generation, campaign=campaign, author=alice)

    assert strategy.version == 2
    assert strategy.content_pillars[0].startswith(pillars[0]["title"])
    assert "Roles: VP of Revenue Operations, CFO" in strategy.target_audience
    assert "Best-fit customers:" in strategy.target_audience
    assert strategy.constraints == "Exclude: Agencies"
    assert strategy.platforms == ["email", "LinkedIn"] and strategy.goals == ["20 meetings"]  # kept
    assert Strategy.objects.get(campaign=campaign, version=1).invalidated_at is not None


def test_only_a_generation_with_positioning_can_become_a_strategy(acme, alice, site):
    generation = _generate(acme, alice, site, kind="email_pack")

    with pytest.raises(ValidationError):
        generation_to_strategy_data(generation)
