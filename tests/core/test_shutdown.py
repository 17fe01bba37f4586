"""Graceful shutdown: a deploy or `docker stop` sends SIGTERM, and daphne goes quietly.

Runs daphne as `make run` does (embedded mode, a temporary var directory) on a free port.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = Path(sys.executable).with_name("daphne")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"daphne exited during start-up:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"daphne did not answer {url} within 60 s:\n{log.read_text()}")


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(LAUNCHDECK_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=180)
    return env


def test_it_stops_daphne_cleanly_on_sigterm(embedded_env, tmp_path):
    port = _free_port()
    log = tmp_path / "daphne.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(DAPHNE), "--bind", "127.0.0.1", "--port", str(port), "--application-close-timeout", "10",
             "config.asgi:application"],
            cwd=ROOT, env=embedded_env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(server, f"http://127.0.0.1:{port}/api/v1/health", log)

        server.send_signal(signal.SIGTERM)
        returncode = server.wait(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
