"""Smoke test of the production topology, run by `.ci/run` and `make smoke`.

The Procfile's three processes (daphne, Celery worker, Celery beat) run with production
settings on a fresh PostgreSQL database and Redis. The test checks that health is green
with every component real, that one task makes the round trip API → broker → worker →
channel layer → websocket, and that every process shuts down cleanly on SIGTERM.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL: without them it fails, it never skips.
"""

import json
import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.sync.client import connect

from tests.processes import (
    ROOT,
    demo_password,
    free_port,
    fresh_postgres_database,
    kill_group,
    log_tail,
    manage,
    start,
    wait_for_health,
)

PONG_TIMEOUT_SECONDS = 20
SHUTDOWN_TIMEOUT_SECONDS = 20
# Its own Redis database, so the smoke test never reads or clears what other runs keep.
REDIS_DB = os.environ.get("LAUNCHDECK_SMOKE_REDIS_DB", "3")


@dataclass
class Topology:
    url: str
    api_key: str
    processes: dict[str, subprocess.Popen]


def _procfile() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and not line.lstrip().startswith("#"):
            entries[name.strip()] = command.strip()
    return entries


def _required_env(name: str, schemes: tuple[str, ...]) -> str:
    value = os.environ.get(name, "")
    if not value.startswith(schemes):
        pytest.fail(f"the topology smoke test needs {name} ({' or '.join(schemes)}...); got {value!r}",
                    pytrace=False)
    return value


def _stop(processes: dict[str, subprocess.Popen]) -> dict[str, int | None]:
    """SIGTERM every process at once; return each exit code (None: still running at the deadline)."""
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + SHUTDOWN_TIMEOUT_SECONDS
    codes = {}
    for name, process in processes.items():
        try:
            codes[name] = process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            codes[name] = None
    return codes


@pytest.fixture(scope="module")
def topology(tmp_path_factory) -> Iterator[Topology]:
    database_url = _required_env("DATABASE_URL", ("postgres://", "postgresql://"))
    redis_url = _required_env("REDIS_URL", ("redis://", "rediss://"))
    redis_url = urlsplit(redis_url)._replace(path=f"/{REDIS_DB}").geturl()
    tmp = tmp_path_factory.mktemp("topology")
    run_id = uuid.uuid4().hex[:10]
    queue = f"smoke-{run_id}"

    with fresh_postgres_database(database_url, "topology") as smoke_database_url:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": smoke_database_url,
            "REDIS_URL": redis_url,
            "LAUNCHDECK_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "LAUNCHDECK_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LAUNCHDECK_SSL_REDIRECT": "0",
            "LAUNCHDECK_VAR_DIR": str(tmp / "var"),
            "LAUNCHDECK_DEMO_PASSWORD": demo_password(),
            "LAUNCHDECK_CELERY_QUEUE": queue,
            "LAUNCHDECK_CACHE_PREFIX": f"smoke-{run_id}",
            "LAUNCHDECK_CHANNELS_PREFIX": f"smoke-{run_id}:ws",
            "CELERY_CONCURRENCY": "1",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        # What `make serve` does before it starts the Procfile.
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "seed_demo")
        api_key = manage(env, "apikey", "create", "--workspace", "demo", "--user", "marketer").strip().splitlines()[-1]
        assert api_key.startswith("ld_"), api_key

        processes: dict[str, subprocess.Popen] = {}
        try:
            for name, command in _procfile().items():
                processes[name] = start(command, env, tmp / f"{name}.log")
            yield Topology(url=f"http://127.0.0.1:{port}", api_key=api_key, processes=processes)
        finally:
            for process in processes.values():
                kill_group(process)
            _forget_queue(redis_url, queue)


def _forget_queue(redis_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(queue, f"_kombu.binding.{queue}")
    finally:
        client.close()


def _logs(topology: Topology) -> str:
    return "\n".join(f"--- {name}\n{log_tail(p)}" for name, p in topology.processes.items())


def test_the_procfile_runs_web_worker_and_beat():
    assert set(_procfile()) == {"web", "worker", "beat"}


def test_health_is_green_on_real_components(topology):
    health = wait_for_health(topology.url, list(topology.processes.values()))

    assert health["status"] == "healthy", json.dumps(health, indent=2)
    components = health["components"]
    assert {name: c["status"] for name, c in components.items()} == dict.fromkeys(
        ("database", "cache", "channel_layer", "broker"), "ok"
    )
    assert components["database"]["backend"] == "postgresql"
    assert components["cache"]["backend"] == "RedisCache"
    assert components["channel_layer"]["backend"] == "RedisChannelLayer"
    assert components["broker"]["backend"] == "redis", "the broker must be Redis, not in-process"


def test_a_ping_travels_from_the_api_through_the_worker_to_the_websocket(topology):
    wait_for_health(topology.url, list(topology.processes.values()))
    ws_url = topology.url.replace("http://", "ws://") + "/ws/events/"
    headers = {"Authorization": f"Bearer {topology.api_key}"}

    with connect(ws_url, additional_headers=headers, open_timeout=10) as socket:
        greeting = json.loads(socket.recv(timeout=10))
        assert greeting["type"] == "connected"
        assert greeting["payload"]["workspace"] == "demo"

        response = httpx.post(f"{topology.url}/api/v1/diagnostics/ping/", headers=headers, timeout=10)
        assert response.status_code == 202, response.text
        assert response.headers.get("X-Request-ID")
        ping_id = response.json()["ping_id"]

        deadline = time.monotonic() + PONG_TIMEOUT_SECONDS
        pong = None
        while pong is None:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no diagnostics.pong within {PONG_TIMEOUT_SECONDS} s\n{_logs(topology)}"
            try:
                event = json.loads(socket.recv(timeout=remaining))
            except TimeoutError:
                continue
            if event["type"] == "diagnostics.pong" and event["payload"]["ping_id"] == ping_id:
                pong = event

    assert pong["payload"]["worker"]
    assert pong["payload"]["request_id"] == response.headers["X-Request-ID"]


def test_a_socket_without_a_valid_key_is_refused(topology):
    from websockets.exceptions import ConnectionClosed, InvalidStatus

    ws_url = topology.url.replace("http://", "ws://") + "/ws/events/"
    with (
        pytest.raises((InvalidStatus, ConnectionClosed)),
        connect(ws_url, additional_headers={"Authorization": "Bearer ld_nope_nope"}, open_timeout=10) as socket,
    ):
        socket.recv(timeout=10)


def test_every_process_shuts_down_cleanly_on_sigterm(topology):
    wait_for_health(topology.url, list(topology.processes.values()))
    # Give beat a moment past start-up so SIGTERM meets it in its loop, as in a deploy.
    time.sleep(1)

    codes = _stop(topology.processes)

    assert codes == dict.fromkeys(topology.processes, 0), f"exit codes {codes}\n{_logs(topology)}"
    logs = {name: Path(p.log_path).read_text(errors="replace") for name, p in topology.processes.items()}
    assert "Traceback" not in logs["worker"], logs["worker"]
    assert "Traceback" not in logs["beat"], logs["beat"]
