"""The complete package written by the LLM writer, end to end: API → site reader → three
parts in parallel → a local OpenAI-compatible server streaming each part."""

import json

import pytest

from generators.icp import icp_infer
from generators.site_reader import read_site
from generators.writers.template import TemplateWriter
from tests.generators.fake_llm import Failure, FakeLLM, Stream

pytestmark = pytest.mark.django_db

# What in the system prompt tells the parts apart (each part's schema names its own fields).
PART_MARKERS = {"competitive_alternatives": "positioning", "subject_variants": "email_pack",
                "qualification_rules": "enrichment"}


def _model_answers(site_url: str) -> dict[str, str]:
    """A well-behaved model's answer per part: valid output citing the pages actually read."""
    facts = read_site(site_url)
    answers = {}
    for part in PART_MARKERS.values():
        result = TemplateWriter().write(part, facts=facts, icp=icp_infer(facts), emit_delta=lambda _t: None)
        if part == "email_pack":  # computed by the writer, not sent by a model
            result.pop("tokens")
            for email in result["emails"]:
                email.pop("lint")
        answers[part] = json.dumps(result)
    return answers


@pytest.fixture
def llm(settings):
    fake = FakeLLM().start()
    settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = fake.base_url, "sk-test", "fake-model"
    yield fake
    fake.stop()


def _part_of(body: dict) -> str:
    system = body["messages"][0]["content"]
    return next(part for marker, part in PART_MARKERS.items() if marker in system)


def test_the_complete_package_streams_every_part_from_the_model(api_for, alice, acme, site, llm):
    answers = _model_answers(site.url("/"))
    llm.responder = lambda body: Stream(answers[_part_of(body)], chunks=6)

    response = api_for(alice, acme).post(
        "/api/v1/generate/complete/", {"website": site.url("/"), "writer": "llm"}, format="json"
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "completed"
    assert data["writer"] == {"name": "llm", "version": "1:fake-model"}
    assert {_part_of(r.body) for r in llm.received} == {"positioning", "email_pack", "enrichment"}
    assert data["result"]["email_pack"]["emails"][0]["lint"]["word_count"] > 0
    assert data["result"]["enrichment"]["live_enrichment"]["domain"]


def test_a_part_the_model_cannot_write_fails_alone(api_for, alice, acme, site, llm):
    answers = _model_answers(site.url("/"))
    # The email pack comes back as broken JSON, twice (the first answer and the repair).
    llm.responder = lambda body: (Stream("{not json", chunks=2) if _part_of(body) == "email_pack"
                                  else Stream(answers[_part_of(body)]))

    response = api_for(alice, acme).post(
        "/api/v1/generate/complete/", {"website": site.url("/"), "writer": "llm"}, format="json"
    )

    data = response.json()
    assert data["status"] == "partial"
    assert data["parts"]["email_pack"]["status"] == "failed"
    assert "did not validate after one repair" in data["parts"]["email_pack"]["error"]["detail"]
    assert data["parts"]["positioning"]["status"] == data["parts"]["enrichment"]["status"] == "completed"


def test_an_unreachable_model_fails_the_parts_not_the_request(api_for, alice, acme, site, llm):
    llm.responder = lambda body: Failure(500, "upstream overloaded")

    response = api_for(alice, acme).post(
        "/api/v1/generate/positioning/", {"website": site.url("/"), "writer": "llm"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "failed"
    assert response.json()["parts"]["positioning"]["status"] == "failed"
