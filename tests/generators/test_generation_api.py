"""The generation API: four generate endpoints, the history, problems for bad input."""

import pytest
from django.utils import timezone

from accounts.models import APIKey
from generators.models import Generation
from tests.factories import campaign_make, generation_make
from tests.generators.generation_fixtures import PROVIDED_ICP

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "positioning": ("/api/v1/generate/positioning/", ["positioning"]),
    "email-pack": ("/api/v1/generate/email-pack/", ["email_pack"]),
    "enrichment": ("/api/v1/generate/enrichment/", ["enrichment"]),
    "complete": ("/api/v1/generate/complete/", ["positioning", "email_pack", "enrichment"]),
}


@pytest.fixture
def api(api_for, alice, acme):
    return api_for(alice, acme)


@pytest.mark.parametrize("icp", [None, PROVIDED_ICP], ids=["inferred-icp", "provided-icp"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_generates_its_parts(api, site, endpoint, icp):
    url, parts = ENDPOINTS[endpoint]
    body = {"website": site.url("/")} | ({"icp": icp} if icp else {})

    response = api.post(url, body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "completed"
    assert data["icp_source"] == ("provided" if icp else "inferred")
    assert list(data["parts"]) == parts
    assert all(data["parts"][part]["status"] == "completed" for part in parts)
    assert set(data["result"]) == {"facts", "icp", *parts}
    assert data["cache_hit"] is False
    assert data["writer"] == {"name": "template", "version": data["writer"]["version"]}
    assert data["duration_ms"] >= max(data["parts"][part]["duration_ms"] for part in parts)
    assert data["website"] == site.url("/")
    assert Generation.objects.get(pk=data["id"]).workspace.slug == "acme"


def test_the_email_pack_keeps_what_a_nurture_sequence_needs(api, site):
    data = api.post("/api/v1/generate/email-pack/", {"website": site.url("/")}, format="json").json()
    pack = data["result"]["email_pack"]

    assert [email["position"] for email in pack["emails"]] == list(range(1, len(pack["emails"]) + 1))
    assert pack["emails"][0]["day_offset"] == 0
    assert all(email["subject"] and email["body"] and email["call_to_action"] for email in pack["emails"])
    assert pack["tokens"]


def test_a_failed_part_is_reported_beside_the_completed_ones(api, site, failing_part):
    failing_part("positioning")

    response = api.post("/api/v1/generate/complete/", {"website": site.url("/")}, format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "partial"
    assert data["parts"]["positioning"]["status"] == "failed"
    assert data["parts"]["positioning"]["error"]["code"] == "part_failed"
    assert {data["parts"]["email_pack"]["status"], data["parts"]["enrichment"]["status"]} == {"completed"}


def test_a_repeat_says_it_came_from_the_cache_and_refresh_bypasses_it(api, site):
    body = {"website": site.url("/"), "icp": PROVIDED_ICP}
    first = api.post("/api/v1/generate/complete/", body, format="json").json()

    cached = api.post("/api/v1/generate/complete/", body, format="json").json()
    refreshed = api.post("/api/v1/generate/complete/", {**body, "refresh": True}, format="json").json()

    assert (first["cache_hit"], cached["cache_hit"], refreshed["cache_hit"]) == (False, True, False)
    assert cached["result"] == first["result"]
    assert len({first["id"], cached["id"], refreshed["id"]}) == 3


def test_too_little_to_write_from_is_a_422_naming_what_is_missing(api, thin_site):
    response = api.post("/api/v1/generate/complete/", {"website": thin_site.url("/")}, format="json")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Insufficient information"
    assert problem["missing"] == ["readable text"]
    assert "readable text" in problem["detail"]
    generation = Generation.objects.get(pk=problem["generation_id"])
    assert generation.status == "failed" and generation.error["missing"] == ["readable text"]


def test_a_private_address_is_a_422_not_a_fetch(api, site, settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = []

    response = api.post("/api/v1/generate/positioning/", {"website": site.url("/")}, format="json")

    assert response.status_code == 422
    assert response.json()["missing"] == ["a public website"]
    assert site.received == []


def test_an_unreachable_site_is_a_422(api, allow_local_fetches):
    response = api.post("/api/v1/generate/positioning/", {"website": "http://127.0.0.1:9/"}, format="json")

    assert response.status_code == 422
    assert response.json()["missing"] == ["a reachable website"]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "website"),
    ({"website": "not a website"}, "website"),
    ({"website": "ftp://example.com"}, "website"),
    ({"website": "https://a.example", "icp": {"pains": ["Slow"]}}, "icp.industries"),
    ({"website": "https://a.example", "writer": "poet"}, "writer"),
    ({"website": "https://a.example", "tone": "bold"}, "tone"),
])
def test_bad_input_is_a_400_naming_the_field(api, body, field):
    response = api.post("/api/v1/generate/complete/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Generation.objects.exists()


def test_it_records_the_campaign_of_this_workspace(api, site, acme, globex):
    campaign = campaign_make(acme)

    data = api.post("/api/v1/generate/positioning/", {"website": site.url("/"), "campaign": campaign.pk},
                    format="json").json()
    refused = api.post("/api/v1/generate/positioning/", {"website": site.url("/"), "campaign": campaign_make(globex).pk},
                       format="json")

    assert data["campaign"] == campaign.pk
    assert refused.status_code == 400 and "campaign" in refused.json()["errors"]


def test_a_viewer_can_read_generations_but_not_generate(api_for, vic, acme):
    client = api_for(vic, acme)
    generation_make(acme)

    assert client.post("/api/v1/generate/complete/", {"website": "https://a.example"}, format="json").status_code == 403
    assert client.get("/api/v1/generations/").json()["count"] == 1


def test_it_lists_and_filters_generations(api, acme, globex):
    campaign = campaign_make(acme)
    mine = generation_make(acme, kind="complete", status="completed", campaign=campaign)
    generation_make(acme, kind="positioning", status="failed")
    generation_make(globex)

    everything = api.get("/api/v1/generations/").json()
    by_kind = api.get("/api/v1/generations/?kind=complete").json()
    by_status = api.get("/api/v1/generations/?status=failed").json()
    by_campaign = api.get(f"/api/v1/generations/?campaign={campaign.pk}").json()

    assert everything["count"] == 2
    assert "result" not in everything["results"][0]  # the list stays light; the detail has it
    assert [row["id"] for row in by_kind["results"]] == [mine.pk]
    assert by_status["count"] == 1 and by_status["results"][0]["status"] == "failed"
    assert [row["id"] for row in by_campaign["results"]] == [mine.pk]


def test_it_returns_one_generation_with_its_result(api, site):
    created = api.post("/api/v1/generate/enrichment/", {"website": site.url("/")}, format="json").json()

    data = api.get(f"/api/v1/generations/{created['id']}/").json()

    assert data["result"]["enrichment"] == created["result"]["enrichment"]
    assert data["icp_input"] is None
    assert data["created_by"] == "alice"


def test_another_workspaces_generation_is_a_404(api, globex):
    other = generation_make(globex)

    assert api.get(f"/api/v1/generations/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/generations/{other.pk}/events/").status_code == 404


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_takes_three_queries_however_many_rows(api, alice, acme, django_assert_num_queries, rows):
    for _ in range(rows):
        generation_make(acme, created_by=alice, campaign=campaign_make(acme))
    APIKey.objects.filter(user=alice).update(last_used_at=timezone.now())

    # 1. the API key by its prefix, with its workspace, user and membership
    # 2. COUNT(*) of the workspace's generations, for pagination
    # 3. one page of generations with their creators
    with django_assert_num_queries(3):
        response = api.get("/api/v1/generations/")

    assert response.status_code == 200 and response.json()["count"] == rows
