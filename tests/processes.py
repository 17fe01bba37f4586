"""Real servers for the browser and topology tests: fresh databases, manage.py, processes.

These tests run without pytest-django (`-p no:django`): the app under test is a separate
process, exactly as it is deployed, so nothing here imports Django.
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _with_path(url: str, path: str) -> str:
    return urlsplit(url)._replace(path=path).geturl()


@contextlib.contextmanager
def fresh_postgres_database(database_url: str, suffix: str) -> Iterator[str]:
    """Create `<configured name>_<suffix>` (dropping a leftover of a crashed run first),
    yield its URL and drop it afterwards."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = f"{unquote(parts.path.lstrip('/')) or 'launchdeck'}_{suffix}"
    admin = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "") or None,
        "password": unquote(parts.password or "") or None,
        "dbname": "postgres",
        "autocommit": True,
    }

    def drop():
        with psycopg.connect(**admin) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    drop()
    with psycopg.connect(**admin) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_path(database_url, f"/{name}")
    finally:
        drop()


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """Run `manage.py <args>`; return its stdout, or fail with everything it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def demo_password() -> str:
    return f"demo-{secrets.token_urlsafe(12)}"


def start(command: list[str] | str, env: dict, log_path: Path) -> subprocess.Popen:
    """Start a process in its own session (so cleanup can reach its children), logging to a file.

    A string runs through `sh -c "exec ..."`: Procfile lines expand ${VAR:-default}, and
    `exec` makes the signal we send reach the server itself, not a shell.
    """
    if isinstance(command, str):
        command = ["/bin/sh", "-c", f"exec {command}"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    process.log_path = log_path
    return process


def log_tail(process: subprocess.Popen, lines: int = 40) -> str:
    path: Path = process.log_path
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def wait_for_health(base_url: str, processes: list[subprocess.Popen], timeout: float = 60) -> dict:
    """Poll /api/v1/health until it answers; fail early when a process dies."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"{process.args} exited {process.returncode}:\n{log_tail(process)}")
        try:
            response = httpx.get(f"{base_url}/api/v1/health", timeout=5)
        except httpx.HTTPError as exc:
            last_error = repr(exc)
        else:
            if response.status_code < 500 or response.headers.get("content-type", "").startswith(
                "application/json"
            ):
                return response.json()
            last_error = f"HTTP {response.status_code}"
        time.sleep(0.25)
    logs = "\n".join(f"--- {p.args}\n{log_tail(p)}" for p in processes)
    raise AssertionError(f"{base_url}/api/v1/health did not answer within {timeout:.0f} s ({last_error})\n{logs}")


def kill_group(process: subprocess.Popen) -> None:
    """Last-resort cleanup: kill the process and anything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
