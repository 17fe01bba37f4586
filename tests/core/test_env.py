"""An operator's environment: good values are read, bad ones stop start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_rate, env_str, env_url

ROOT = Path(__file__).resolve().parents[2]
NAME = "LAUNCHDECK_TEST_VALUE"


@pytest.fixture
def setenv(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)

    def set_value(value: str) -> None:
        monkeypatch.setenv(NAME, value)

    return set_value


def _fails_naming_the_variable(read) -> str:
    with pytest.raises(ImproperlyConfigured) as error:
        read()
    assert NAME in str(error.value)
    return str(error.value)


def test_it_reads_strings_and_falls_back_to_the_default(setenv):
    assert env_str(NAME, "fallback") == "fallback"
    setenv("  launchdeck  ")
    assert env_str(NAME) == "launchdeck"


def test_it_insists_on_a_required_string(setenv):
    _fails_naming_the_variable(lambda: env_str(NAME))
    setenv("")
    _fails_naming_the_variable(lambda: env_str(NAME))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False), ("False", False),
     ("no", False), ("off", False)],
)
def test_it_reads_booleans(setenv, raw, expected):
    setenv(raw)
    assert env_bool(NAME, not expected) is expected


def test_it_treats_an_empty_boolean_as_unset(setenv):
    setenv("")
    assert env_bool(NAME, True) is True


def test_it_rejects_a_boolean_it_cannot_read(setenv):
    setenv("maybe")
    assert "'maybe'" in _fails_naming_the_variable(lambda: env_bool(NAME, False))


def test_it_reads_integers_within_bounds(setenv):
    assert env_int(NAME, 7) == 7
    setenv("42")
    assert env_int(NAME, 7, minimum=1, maximum=100) == 42


@pytest.mark.parametrize(("raw", "says"), [("ten", "integer"), ("0", "at least 1"), ("101", "at most 100")])
def test_it_rejects_integers_out_of_shape_or_range(setenv, raw, says):
    setenv(raw)
    assert says in _fails_naming_the_variable(lambda: env_int(NAME, 7, minimum=1, maximum=100))


def test_it_reads_comma_separated_lists(setenv):
    assert env_list(NAME, ["a"]) == ["a"]
    setenv(" launchdeck.example.com, ,api.example.com ")
    assert env_list(NAME) == ["launchdeck.example.com", "api.example.com"]


def test_it_reads_a_choice_case_insensitively(setenv):
    assert env_choice(NAME, ("text", "json"), "text") == "text"
    setenv("JSON")
    assert env_choice(NAME, ("text", "json"), "text") == "json"


def test_it_rejects_a_choice_not_offered(setenv):
    setenv("loud")
    message = _fails_naming_the_variable(lambda: env_choice(NAME, ("debug", "info"), "info"))
    assert "debug, info" in message


@pytest.mark.parametrize(
    "raw", ["postgres://launchdeck:secret@db.internal:5432/launchdeck", "postgres:///launchdeck"]
)
def test_it_reads_urls_with_an_allowed_scheme(setenv, raw):
    assert env_url(NAME, ("postgres", "postgresql")) is None
    setenv(raw)
    assert env_url(NAME, ("postgres", "postgresql")) == raw


@pytest.mark.parametrize("raw", ["mysql://db/launchdeck", "postgres://", "db.internal", "postgres://db:port/x"])
def test_it_rejects_urls_it_cannot_use_without_echoing_them(setenv, raw):
    setenv(raw.replace("db", "user:hunter2@db", 1))
    message = _fails_naming_the_variable(lambda: env_url(NAME, ("postgres", "postgresql")))
    assert "hunter2" not in message


@pytest.mark.parametrize("raw", ["60/min", "1000/hour", "5/s", "86400/day"])
def test_it_reads_throttle_rates(setenv, raw):
    setenv(raw)
    assert env_rate(NAME, "1/min") == raw


@pytest.mark.parametrize("raw", ["lots", "60", "60/fortnight", "0/min", "-1/min"])
def test_it_rejects_throttle_rates_drf_cannot_apply(setenv, raw):
    setenv(raw)
    _fails_naming_the_variable(lambda: env_rate(NAME, "1/min"))


# --- Start-up: what an operator sees ---------------------------------------------------------

_PRODUCTION_KEY = "k" * 20 + "Zq3-9xY_p2" * 4  # 60 characters


def _start(tmp_path, *command, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LAUNCHDECK_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT, env={**base, "LAUNCHDECK_VAR_DIR": str(tmp_path), **env},
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LAUNCHDECK_LOG_LEVEL", "loud"),
        ("DATABASE_URL", "mysql://launchdeck@db/launchdeck"),
        ("REDIS_URL", "http://cache:6379/0"),
        ("LAUNCHDECK_THROTTLE_ANON", "lots"),
        ("LAUNCHDECK_DEBUG", "perhaps"),
        ("LAUNCHDECK_MAX_BODY_BYTES", "2MB"),
    ],
)
def test_it_refuses_to_start_with_a_bad_value_and_names_it(tmp_path, variable, value):
    result = _start(tmp_path, "manage.py", "check", **{variable: value})

    assert result.returncode == 2
    assert result.stderr.startswith(f"Configuration error: {variable} ")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("DJANGO_SECRET_KEY", {"LAUNCHDECK_ALLOWED_HOSTS": "launchdeck.example.com"}),
        ("LAUNCHDECK_ALLOWED_HOSTS", {"DJANGO_SECRET_KEY": _PRODUCTION_KEY}),
    ],
)
def test_it_refuses_to_start_in_production_without_a_secret_key_or_hosts(tmp_path, missing, env):
    result = _start(tmp_path, "manage.py", "check", LAUNCHDECK_ENV="production", **env)

    assert result.returncode == 2
    assert f"{missing} must be set when LAUNCHDECK_ENV=production" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_refuses_a_short_production_secret_key(tmp_path):
    result = _start(tmp_path, "manage.py", "check", LAUNCHDECK_ENV="production",
                    DJANGO_SECRET_KEY="too-short", LAUNCHDECK_ALLOWED_HOSTS="launchdeck.example.com")

    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY must be a random string of at least 50 characters" in result.stderr


def test_it_passes_the_deployment_checklist_in_production(tmp_path):
    result = _start(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
                    LAUNCHDECK_ENV="production", DJANGO_SECRET_KEY=_PRODUCTION_KEY,
                    LAUNCHDECK_ALLOWED_HOSTS="launchdeck.example.com")

    assert result.returncode == 0, result.stderr + result.stdout


def test_it_stops_the_web_server_and_the_worker_with_the_same_message(tmp_path):
    probe = (
        "import sys; sys.argv = ['probe'];\n"
        "try:\n    import config.asgi\nexcept SystemExit as exit:\n    print('exit', exit.code)\n"
    )
    web = _start(tmp_path, "-c", probe, LAUNCHDECK_LOG_FORMAT="yaml")
    worker = _start(tmp_path, "-m", "celery", "-A", "config", "worker", LAUNCHDECK_LOG_FORMAT="yaml")

    assert web.stdout.strip() == "exit 2"
    assert web.stderr.startswith("Configuration error: LAUNCHDECK_LOG_FORMAT ")
    assert worker.returncode == 2
    assert worker.stderr.startswith("Configuration error: LAUNCHDECK_LOG_FORMAT ")
