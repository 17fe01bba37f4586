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
    """Each test starts with an empty cache (throttles, lockouts) and in-process tasks.

    Tests that want a real worker use the `celery_worker` fixture, which turns eager
    execution off again.
    """
    from config.celery import app

    cache.clear()
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


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


@pytest.fixture
def celery_worker(transactional_db, settings, redis_service):
    """A real Celery worker process, on the test database and the configured broker."""
    from django.db import connection

    from config.celery import app

    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        user = db["USER"] or ""
        auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
        env["DATABASE_URL"] = f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    env["LAUNCHDECK_CELERY_QUEUE"] = queue
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    app.conf.task_always_eager = False
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"Celery worker exited:\n{worker.stdout.read()}")
            replies = app.control.ping(timeout=0.5, destination=None)
            if replies:
                break
        else:
            raise RuntimeError("Celery worker did not answer a ping within 30 s")
        yield worker
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = "launchdeck"
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
