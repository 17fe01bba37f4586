"""Shared personas and clients.

Workspace "acme" has alice (admin), mark (marketer), april (approver) and vic (viewer).
Workspace "globex" has bob (admin) — the outsider in tenancy tests.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Membership, Role, User, Workspace
from accounts.services import api_key_create
from tests.services import require_postgres, require_redis

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks(settings):
    """Each test starts with an empty cache (throttles, lockouts, generations) and in-process tasks.

    Tests that want a real worker use the `celery_worker` fixture, which turns eager
    execution off again.
    """
    from config.celery import app

    cache.clear()
    app.conf.task_always_eager = True
    settings.LAUNCHDECK_INPROCESS_TASKS = "eager"  # core.tasks.enqueue runs inline, not in a thread
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A cheap hasher: the real one costs over a second per sign-in on a busy test machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str) -> User:
    user = User(username=username, email=f"{username}@example.com")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def acme(db) -> Workspace:
    return Workspace.objects.create(name="Acme", slug="acme")


@pytest.fixture
def globex(db) -> Workspace:
    return Workspace.objects.create(name="Globex", slug="globex")


def _member(workspace: Workspace, username: str, role: str) -> User:
    user = _user(username)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def alice(acme) -> User:
    return _member(acme, "alice", Role.ADMIN)


@pytest.fixture
def mark(acme) -> User:
    return _member(acme, "mark", Role.MARKETER)


@pytest.fixture
def april(acme) -> User:
    return _member(acme, "april", Role.APPROVER)


@pytest.fixture
def vic(acme) -> User:
    return _member(acme, "vic", Role.VIEWER)


@pytest.fixture
def bob(globex) -> User:
    return _member(globex, "bob", Role.ADMIN)


def api_client_for(user: User, workspace: Workspace) -> APIClient:
    """An API client authenticating with a fresh workspace API key of `user`."""
    issued = api_key_create(workspace=workspace, user=user, name=f"{user.username} test key")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}")
    client.raw_key = issued.raw_key
    return client


@pytest.fixture
def api_for():
    return api_client_for


@pytest.fixture
def postgres(db):
    require_postgres()


@pytest.fixture
def redis_service():
    require_redis()


def _database_url_for_worker(db: dict) -> str:
    """The URL of the database this test process uses (the test database, not the configured one)."""
    if db["ENGINE"].endswith("postgresql"):
        user, password = quote(db.get("USER") or "", safe=""), quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise RuntimeError("a Celery worker process cannot share an in-memory SQLite test database")
    return f"sqlite:///{name}"


@pytest.fixture
def celery_worker(redis_service, transactional_db, settings, tmp_path):
    """A real Celery worker process on the test database and the configured broker.

    The worker consumes a queue of its own, so workers of other test runs sharing the
    broker never take this test's tasks, and this test waits for its own worker only.
    """
    from django.db import connection

    from config.celery import app

    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    node = f"{queue}@localhost"
    env = {**os.environ, "DATABASE_URL": _database_url_for_worker(connection.settings_dict),
           "LAUNCHDECK_CELERY_QUEUE": queue}
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    app.conf.task_always_eager = False
    # A file rather than a pipe: a chatty worker must never block on a full pipe buffer.
    log_path = tmp_path / "celery-worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", node, "-Q", queue],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[node], timeout=0.5):
            if worker.poll() is not None:
                raise RuntimeError(f"Celery worker exited:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not answer a ping within 30 s:\n{log_path.read_text()}")
        worker.log_path = log_path
        yield worker
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = previous_queue
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
