"""Real services for tests: PostgreSQL, Redis, a Celery worker.

A test that needs a service asks for it through `require_postgres()` / `require_redis()`.
Where the service is not configured the test is skipped with the reason, unless
LAUNCHDECK_REQUIRE_SERVICES=1 (set by .ci/run), which turns that skip into a failure.
"""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("LAUNCHDECK_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _missing(reason: str):
    if services_required():
        pytest.fail(f"{reason} (LAUNCHDECK_REQUIRE_SERVICES=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://...")


def require_redis() -> None:
    from django.conf import settings

    if not settings.REDIS_URL:
        _missing("needs Redis: set REDIS_URL=redis://...")
