"""The LLM writer against a local server that streams like OpenAI's chat completions."""

import json
import logging

import pytest

from generators.icp import icp_infer
from generators.schemas import validate_part
from generators.types import PartFailed
from generators.writers import WriterUnavailable, get_writer
from generators.writers.llm import LLMWriter
from generators.writers.template import TemplateWriter
from tests.generators.fake_llm import Failure, FakeLLM, Stream
from tests.generators.writer_fixtures import ledgerly_facts

API_KEY = "sk-test-not-a-real-key"


@pytest.fixture
def llm(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = ["127.0.0.1", "localhost"]
    fake = FakeLLM().start()
    yield fake
    fake.stop()


@pytest.fixture
def facts():
    return ledgerly_facts()


def _writer(llm: FakeLLM, timeout: float = 10.0) -> LLMWriter:
    return LLMWriter(base_url=llm.base_url, api_key=API_KEY, model="fake-model", timeout_seconds=timeout)


def _valid_answer(part: str, facts) -> dict:
    """What a well-behaved model returns: a valid part (here, the template writer's)."""
    result = TemplateWriter().write(part, facts=facts, icp=icp_infer(facts), emit_delta=lambda _text: None)
    if part == "email_pack":  # the writer computes these itself; a model does not send them
        result.pop("tokens")
        for email in result["emails"]:
            email.pop("lint")
    return result


def _write(writer, part, facts, deltas=None):
    return writer.write(part, facts=facts, icp=icp_infer(facts),
                        emit_delta=(deltas.append if deltas is not None else lambda _text: None))


def test_it_streams_the_answer_chunk_by_chunk_and_returns_the_validated_part(llm, facts):
    answer = json.dumps(_valid_answer("positioning", facts))
    llm.answers = [Stream(answer, chunks=7)]
    deltas: list[str] = []

    result = _write(_writer(llm), "positioning", facts, deltas)

    assert len(deltas) == 7
    assert "".join(deltas) == answer
    assert result == validate_part("positioning", json.loads(answer))


def test_it_sends_the_model_a_streamed_json_mode_request_with_the_bearer_key(llm, facts):
    llm.answers = [Stream(json.dumps(_valid_answer("positioning", facts)))]

    _write(_writer(llm), "positioning", facts)

    (request,) = llm.received
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == "fake-model"
    assert request.body["stream"] is True
    assert request.body["response_format"] == {"type": "json_object"}
    system, user = request.body["messages"]
    assert system["role"] == "system" and '"elevator_pitch"' in system["content"]
    assert "Cite only URLs that appear in the facts" in system["content"]
    sent = json.loads(user["content"])
    assert sent["facts"]["domain"] == "ledgerly.example"
    assert sent["icp"]["source"] == "inferred"


def test_it_sends_no_authorization_header_without_a_key(llm, facts):
    llm.answers = [Stream(json.dumps(_valid_answer("positioning", facts)))]
    writer = LLMWriter(base_url=llm.base_url, api_key=None, model="local", timeout_seconds=10)

    _write(writer, "positioning", facts)

    assert "Authorization" not in llm.received[0].headers


def test_it_repairs_invalid_json_once(llm, facts):
    valid = json.dumps(_valid_answer("positioning", facts))
    llm.answers = [Stream('{"competitive_alternatives": [', chunks=2), Stream(valid)]
    deltas: list[str] = []

    result = _write(_writer(llm), "positioning", facts, deltas)

    assert result["elevator_pitch"]["text"]
    assert len(llm.received) == 2
    repair = llm.received[1].body["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert repair[2]["content"] == '{"competitive_alternatives": ['
    assert "not valid JSON" in repair[3]["content"]
    assert "asking for a corrected one" in "".join(deltas)


def test_it_sends_schema_errors_back_with_field_paths(llm, facts):
    broken = _valid_answer("positioning", facts)
    del broken["elevator_pitch"]
    broken["value_and_proof"][0]["evidence"] = []
    llm.answers = [Stream(json.dumps(broken)), Stream(json.dumps(_valid_answer("positioning", facts)))]

    _write(_writer(llm), "positioning", facts)

    repair_prompt = llm.received[1].body["messages"][-1]["content"]
    assert "- elevator_pitch: This field is required." in repair_prompt
    assert "- value_and_proof[0].evidence:" in repair_prompt


def test_it_fails_the_part_cleanly_when_the_repair_is_invalid_too(llm, facts):
    llm.answers = [Stream("not json at all"), Stream('{"market_category": {}}')]

    with pytest.raises(PartFailed, match="did not validate after one repair"):
        _write(_writer(llm), "positioning", facts)
    assert len(llm.received) == 2  # one repair, no more


def test_it_rejects_evidence_from_pages_that_were_not_read(llm, facts):
    answer = _valid_answer("positioning", facts)
    answer["elevator_pitch"]["evidence"] = [{"url": "https://invented.example/case-study", "snippet": "x"}]
    llm.answers = [Stream(json.dumps(answer)), Stream(json.dumps(answer))]

    with pytest.raises(PartFailed, match=r"elevator_pitch\.evidence\[0\]\.url: https://invented\.example"):
        _write(_writer(llm), "positioning", facts)


def test_it_computes_the_email_lint_and_tokens_itself(llm, facts):
    answer = _valid_answer("email_pack", facts)
    answer["emails"][0]["subject"] = "ACT NOW!!! Free money for {{company}}"
    llm.answers = [Stream(json.dumps(answer))]

    result = _write(_writer(llm), "email_pack", facts)

    assert set(result["tokens"]) == {"first_name", "company", "role", "sender_name"}
    first = result["emails"][0]["lint"]
    assert "act now" in first["spam_triggers"] and "free money" in first["spam_triggers"]
    assert result["emails"][1]["lint"]["word_count"] > 40


def test_it_leaves_live_enrichment_to_the_orchestrator(llm, facts):
    answer = TemplateWriter().write("enrichment", facts=facts, icp=icp_infer(facts), emit_delta=lambda _t: None)
    answer["live_enrichment"] = {"domain": "ledgerly.example", "sources": [
        {"source": "apollo", "status": "ok", "data": {"name": "Invented"}, "error": None}]}
    llm.answers = [Stream(json.dumps(answer))]

    result = _write(_writer(llm), "enrichment", facts)

    assert result["live_enrichment"] == {"domain": "ledgerly.example", "sources": []}


@pytest.mark.parametrize(("status", "expected"), [
    (401, r"HTTP 401: Incorrect API key provided; check LLM_API_KEY"),
    (500, r"HTTP 500: The server had an error"),
])
def test_it_fails_the_part_on_http_errors(llm, facts, status, expected):
    message = "Incorrect API key provided" if status == 401 else "The server had an error"
    llm.answers = [Failure(status, message)]

    with pytest.raises(PartFailed, match=expected) as failure:
        _write(_writer(llm), "positioning", facts)
    assert API_KEY not in str(failure.value)


def test_it_fails_the_part_when_the_stream_is_too_slow(llm, facts):
    llm.answers = [Stream(json.dumps(_valid_answer("positioning", facts)), pause_before=3)]

    with pytest.raises(PartFailed, match=r"did not answer within 0\.5 seconds"):
        _write(_writer(llm, timeout=0.5), "positioning", facts)


def test_the_ssrf_guard_applies_to_the_llm_host(llm, facts, settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = []
    llm.answers = [Stream(json.dumps(_valid_answer("positioning", facts)))]

    with pytest.raises(PartFailed, match="not reachable from here"):
        _write(_writer(llm), "positioning", facts)
    assert llm.received == []


def test_it_never_logs_the_api_key(llm, facts, caplog):
    caplog.set_level(logging.DEBUG)
    llm.answers = [Stream("{}"), Stream(json.dumps(_valid_answer("positioning", facts)))]

    _write(_writer(llm), "positioning", facts)

    assert caplog.records
    assert all(API_KEY not in record.getMessage() for record in caplog.records)


def test_get_writer_defaults_to_the_template_writer():
    writer = get_writer(None)

    assert writer.name == "template" and writer.version == "1"


def test_get_writer_explains_that_the_llm_writer_needs_configuration(settings):
    settings.LLM_BASE_URL = None

    with pytest.raises(WriterUnavailable, match="set LLM_BASE_URL"):
        get_writer("llm")


def test_get_writer_builds_the_llm_writer_from_settings_with_the_model_in_its_version(settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    settings.LLM_MODEL = "gpt-4o-mini"
    settings.LLM_API_KEY = API_KEY

    writer = get_writer("llm")

    assert writer.name == "llm"
    assert "gpt-4o-mini" in writer.version
    assert API_KEY not in repr(writer.version)


def test_get_writer_rejects_unknown_names():
    with pytest.raises(WriterUnavailable, match="Unknown writer 'poet'"):
        get_writer("poet")
