"""The Generate page: a form, the parts side by side, past generations, save as strategy."""

import pytest

from campaigns.models import Strategy
from generators.models import Generation
from tests.factories import campaign_make, generation_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def marks_browser(client, mark, django_capture_on_commit_callbacks):
    """Mark's browser; what a POST enqueues on commit runs before the POST returns."""
    client.force_login(mark)
    post = client.post

    def post_and_run_tasks(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_run_tasks
    return client


def test_it_shows_the_form_and_the_navigation_marks_it(marks_browser):
    html = marks_browser.get("/generate/").content.decode()

    assert "<h1>Generate</h1>" in html
    assert '<a href="/generate/" aria-current="page">Generate</a>' in html
    assert 'name="website"' in html and 'name="industries"' in html and 'name="refresh"' in html
    assert "Complete package" in html
    assert "not built yet" not in html


def test_submitting_creates_a_generation_and_opens_it_with_three_parts(marks_browser, site, acme):
    response = marks_browser.post("/generate/", {"website": site.url("/"), "kind": "complete",
                                                 "roles": "CFO\nVP Finance", "industries": "B2B SaaS"})

    generation = Generation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/generate/{generation.pk}/"
    assert generation.workspace == acme and generation.icp_source == "provided"
    assert generation.icp_input["roles"] == ["CFO", "VP Finance"]
    html = marks_browser.get(response["Location"]).content.decode()
    for part in ("positioning", "email_pack", "enrichment"):
        assert f'data-part="{part}" data-status="completed"' in html
    assert "Elevator pitch" in html and "Call to action" in html and "Data points" in html
    assert 'data-ws-path="/ws/generations/' in html
    assert "Save positioning as a new strategy version" in html


def test_htmx_submission_answers_with_the_generations_address(marks_browser, site):
    response = marks_browser.post("/generate/", {"website": site.url("/"), "kind": "positioning"},
                                  HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f"/generate/{Generation.objects.get().pk}/" in response["HX-Location"]


@pytest.mark.parametrize(("website", "message"), [
    ("not a website", "is not a website address"),
    ("http://10.0.0.8/", "cannot read this address"),
])
def test_a_bad_or_blocked_address_is_explained_next_to_the_field(marks_browser, website, message):
    response = marks_browser.post("/generate/", {"website": website, "kind": "complete"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_website_error"' in html and message in html
    assert not Generation.objects.exists()


def test_an_icp_without_industries_or_roles_is_explained(marks_browser, site):
    response = marks_browser.post("/generate/", {"website": site.url("/"), "kind": "complete", "pains": "Slow closes"})

    assert response.status_code == 422
    assert 'id="id_industries_error"' in response.content.decode()


def test_a_site_with_too_little_text_says_what_was_missing(marks_browser, thin_site):
    response = marks_browser.post("/generate/", {"website": thin_site.url("/"), "kind": "complete"})

    html = marks_browser.get(response["Location"]).content.decode()
    assert "data-generation-error>" in html  # shown, not hidden
    assert "Missing: <span data-generation-missing-list>readable text</span>" in html


def test_a_viewer_sees_past_generations_but_cannot_generate(client, vic, acme):
    generation_make(acme, website="https://seen.example/")
    client.force_login(vic)

    html = client.get("/generate/").content.decode()

    assert "https://seen.example/" in html
    assert "Your role can read generations but not start new ones." in html
    assert client.post("/generate/", {"website": "https://a.example", "kind": "complete"}).status_code == 403


def test_past_generations_are_listed_and_reopen(marks_browser, acme, globex):
    mine = generation_make(acme, website="https://mine.example/")
    generation_make(globex, website="https://theirs.example/")

    html = marks_browser.get("/generate/").content.decode()

    assert f'href="/generate/{mine.pk}/"' in html
    assert "theirs.example" not in html
    reopened = marks_browser.get(f"/generate/{mine.pk}/").content.decode()
    assert 'value="https://mine.example/"' in reopened  # the form is prefilled


def test_another_workspaces_generation_is_not_found(marks_browser, globex):
    other = generation_make(globex)

    assert marks_browser.get(f"/generate/{other.pk}/").status_code == 404
    assert marks_browser.get(f"/generate/{other.pk}/parts/positioning/").status_code == 404


def test_a_finished_part_renders_on_its_own_for_the_live_page(marks_browser, site):
    marks_browser.post("/generate/", {"website": site.url("/"), "kind": "email_pack"})
    generation = Generation.objects.get()

    html = marks_browser.get(f"/generate/{generation.pk}/parts/email_pack/").content.decode()

    assert "Day 0" in html and "Call to action" in html
    assert marks_browser.get(f"/generate/{generation.pk}/parts/positioning/").status_code == 404


def test_generated_text_is_escaped(marks_browser, acme, alice):
    evil = "<script>alert(1)</script>"
    item = {"text": evil, "evidence": [{"url": "javascript:alert(1)", "snippet": evil}]}
    positioning = {
        "competitive_alternatives": [item], "unique_attributes": [item],
        "value_and_proof": [{"value": evil, "proof": evil, "evidence": []}], "best_fit_customers": [item],
        "market_category": item, "relevant_trends": [item],
        "messaging_pillars": [{"title": evil, "message": evil, "evidence": []}], "elevator_pitch": item,
    }
    generation = generation_make(acme, status="completed", result={"positioning": positioning},
                                 parts={"positioning": {"status": "completed", "error": None, "duration_ms": 5}})

    html = marks_browser.get(f"/generate/{generation.pk}/").content.decode()

    assert evil not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html


def test_positioning_is_saved_as_a_new_strategy_version(marks_browser, site, acme):
    campaign = campaign_make(acme)
    marks_browser.post("/generate/", {"website": site.url("/"), "kind": "positioning", "roles": "CFO"})
    generation = Generation.objects.get()

    response = marks_browser.post(f"/generate/{generation.pk}/strategy/", {"campaign": campaign.pk})

    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/?tab=strategy"
    strategy = Strategy.objects.get(campaign=campaign)
    assert strategy.version == 1 and strategy.content_pillars and "Roles: CFO" in strategy.target_audience


def test_only_editors_may_save_positioning_as_strategy(client, vic, acme, site):
    campaign = campaign_make(acme)
    generation = generation_make(acme, status="completed", result={"positioning": {}},
                                 parts={"positioning": {"status": "completed", "error": None, "duration_ms": 1}})
    client.force_login(vic)

    assert "Save positioning as a new strategy version" not in client.get(f"/generate/{generation.pk}/").content.decode()
    assert client.post(f"/generate/{generation.pk}/strategy/", {"campaign": campaign.pk}).status_code == 403
    assert not Strategy.objects.exists()


def test_another_workspaces_campaign_cannot_receive_the_strategy(marks_browser, site, globex):
    marks_browser.post("/generate/", {"website": site.url("/"), "kind": "positioning"})
    generation = Generation.objects.get()

    response = marks_browser.post(f"/generate/{generation.pk}/strategy/", {"campaign": campaign_make(globex).pk})

    assert response.status_code == 422
    assert not Strategy.objects.exists()
