"""What an operator reads in the logs: a request id on every line, and never a secret.

The tests read the output of the configured console handler itself (its filters and
formatter), so they see exactly what the process would print.
"""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpResponse
from django.urls import path

from core.logging import get_request_id, set_request_id

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("launchdeck.tests.ops")
API_KEY = "ld_Ab3dEf9h_" + "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t0"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjo0Mn0.3q2-7wEjvYhZ8y0n2VqfXW4c"
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


@shared_task(name="tests.core.test_logging.note_progress")
def note_progress(step: str) -> str:
    log.info("task step %s", step)
    return get_request_id()


def _view_that_logs_and_enqueues(request):
    log.info("view started")
    outcome = note_progress.delay("one")
    log.info("view resumed after the task")
    # A 4xx makes Django itself log the response, after the middleware chain has returned.
    return HttpResponse(outcome.get(), status=409)


urlpatterns = [path("ops/logged/", _view_that_logs_and_enqueues)]


@pytest.fixture
def console():
    """The text the configured `console` handler writes, while the test runs."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def _lines(console) -> list[str]:
    return [line for line in console.getvalue().splitlines() if line.strip()]


@pytest.mark.urls(__name__)
def test_it_puts_the_request_id_on_every_line_of_a_request(client, console):
    response = client.get("/ops/logged/")

    request_id = response["X-Request-ID"]
    assert GENERATED_ID.match(request_id)
    lines = _lines(console)
    assert any("view started" in line for line in lines)
    assert any("task step one" in line for line in lines)
    assert any("view resumed after the task" in line for line in lines)
    assert any("Conflict: /ops/logged/" in line for line in lines)
    assert all(f"[{request_id}]" in line for line in lines), lines


@pytest.mark.urls(__name__)
def test_it_runs_an_in_process_task_under_the_request_id(client, console):
    response = client.get("/ops/logged/")

    # The task returned the request id it saw; the view answered with it.
    assert response.content.decode() == response["X-Request-ID"]


@pytest.mark.urls(__name__)
def test_it_echoes_a_well_formed_incoming_request_id(client, console):
    response = client.get("/ops/logged/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0042")

    assert response["X-Request-ID"] == "lb-7f3a9c2e-0042"
    assert all("[lb-7f3a9c2e-0042]" in line for line in _lines(console))


@pytest.mark.parametrize("incoming", ["short", "spaces are not allowed", "x" * 129, "id\r\nSet-Cookie: a=b"])
def test_it_replaces_an_unusable_incoming_request_id(client, db, incoming):
    response = client.get("/api/v1/health", HTTP_X_REQUEST_ID=incoming)

    assert GENERATED_ID.match(response["X-Request-ID"])


def test_it_marks_lines_outside_a_request_with_a_dash(client, db, console):
    client.get("/api/v1/health")
    log.info("between requests")

    assert _lines(console)[-1].split(" ")[3] == "[-]"


def test_it_sends_the_request_id_with_each_task_message(settings):
    """The worker restores the id from this header (see the next test)."""
    from config.celery import app

    seen = {}

    def capture(headers=None, **_):
        seen.update(headers or {})

    before_task_publish.connect(capture)
    app.conf.task_always_eager = False
    set_request_id("req-enqueuer-0001")
    try:
        # An in-memory broker: the message is published and left there, no Redis involved.
        with app.connection_for_write("memory://") as connection:
            note_progress.apply_async(("two",), connection=connection, ignore_result=True)
    finally:
        set_request_id("-")
        before_task_publish.disconnect(capture)

    assert seen["request_id"] == "req-enqueuer-0001"


def test_it_logs_a_worker_task_under_the_request_id_it_was_sent_with(console):
    note_progress.push_request(id="task-id-1", request_id="req-enqueuer-0001", is_eager=False)
    try:
        task_prerun.send(sender=note_progress, task_id="task-id-1", task=note_progress, args=(), kwargs={})
        log.info("worker step")
        task_postrun.send(sender=note_progress, task_id="task-id-1", task=note_progress, args=(), kwargs={})
    finally:
        note_progress.pop_request()

    assert "[req-enqueuer-0001]" in _lines(console)[-1]
    assert get_request_id() == "-"


def test_it_names_a_task_sent_without_a_request_id_after_the_task(console):
    note_progress.push_request(id="0b8e-task", is_eager=False)
    try:
        task_prerun.send(sender=note_progress, task_id="0b8e-task", task=note_progress, args=(), kwargs={})
        log.info("scheduled work")
        task_postrun.send(sender=note_progress, task_id="0b8e-task", task=note_progress, args=(), kwargs={})
    finally:
        note_progress.pop_request()

    assert "[task-0b8e-task]" in _lines(console)[-1]


# --- Secrets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("emit", "secret"),
    [
        (lambda: log.info("issued key %s to mark", API_KEY), API_KEY),
        (lambda: log.warning("rejected Authorization: Bearer %s", "opaque.Token-value_9"), "opaque.Token-value_9"),
        (lambda: log.info("token for alice: %s", JWT), JWT),
        (lambda: log.info("login form password=%s&username=alice", "hunter2!"), "hunter2!"),
        (lambda: log.info("payload %s", {"username": "alice", "password": "correct horse"}), "correct horse"),
        (lambda: log.error("cannot reach %s", "redis://:r3d1s-pass@cache:6379/0"), "r3d1s-pass"),
    ],
)
def test_it_never_writes_a_secret(console, emit, secret):
    emit()

    output = console.getvalue()
    assert secret not in output
    assert "[redacted" in output


def test_it_redacts_secrets_in_a_logged_exception(console):
    try:
        raise PermissionError(f"key {API_KEY} was revoked")
    except PermissionError:
        log.exception("could not authenticate")

    output = console.getvalue()
    assert "could not authenticate" in output
    assert "PermissionError: key ld_[redacted] was revoked" in output
    assert API_KEY not in output


def test_it_leaves_ordinary_lines_alone(console):
    log.info("campaign %s published by %s", "Q1 Fintech CFO outreach", "april")

    assert "campaign Q1 Fintech CFO outreach published by april" in console.getvalue()


_JSON_PROBE = """
import logging
import django
django.setup()
from django.test import Client
logging.getLogger("launchdeck.ops").warning("issued %s", sys.argv[1])
Client().get("/api/v1/no-such-thing?token=abc123", secure=True,
             HTTP_HOST="launchdeck.example.com", HTTP_X_REQUEST_ID="req-json-000042")
"""


def test_it_writes_one_json_object_per_line_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAUNCHDECK_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", LAUNCHDECK_ENV="production", LAUNCHDECK_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="p" * 10 + "Zq3-9xY_p2" * 5, LAUNCHDECK_ALLOWED_HOSTS="launchdeck.example.com",
    )
    result = subprocess.run(
        # Python warnings (not log records) are silenced: only log lines are under test.
        [sys.executable, "-W", "ignore", "-c", "import sys\n" + _JSON_PROBE, API_KEY],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    issued = next(r for r in records if r["logger"] == "launchdeck.ops")
    assert issued["message"] == "issued ld_[redacted]"
    assert issued["request_id"] == "-"
    assert {"time", "level"} <= set(issued)
    not_found = next(r for r in records if r["logger"] == "django.request")
    assert not_found["request_id"] == "req-json-000042"
    assert not_found["status_code"] == 404
    assert API_KEY not in result.stderr
    assert "abc123" not in result.stderr


def test_every_response_says_how_long_the_server_spent(client, db):
    response = client.get("/api/v1/health")

    name, _, duration = response["Server-Timing"].partition(";dur=")
    assert name == "app"
    assert float(duration) > 0
