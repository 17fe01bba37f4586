"""Health of the components the app needs: database, cache, channel layer, broker."""

import asyncio
import time
import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"
# Without the database nothing works; without the others the app limps on.
CRITICAL_COMPONENTS = {"database"}
CHECK_TIMEOUT_SECONDS = 2.0


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


async def _channel_round_trip(layer) -> None:
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "health.check"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=CHECK_TIMEOUT_SECONDS)
    if message.get("type") != "health.check":
        raise RuntimeError("unexpected message on the health channel")


def _check_channel_layer() -> str:
    layer = get_channel_layer()
    async_to_sync(_channel_round_trip)(layer)
    return type(layer).__name__


def _check_broker() -> str:
    from config.celery import app

    if app.conf.broker_url.startswith("memory://"):
        return "in-process"  # embedded mode: tasks run in the web process, no broker to reach
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)
    return conn.transport_cls if isinstance(conn.transport_cls, str) else "broker"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _check_database,
    "cache": _check_cache,
    "channel_layer": _check_channel_layer,
    "broker": _check_broker,
}


def health_report() -> dict:
    components = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            backend = check()
        except Exception as exc:
            components[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            components[name] = {"status": "ok", "backend": backend}
        components[name]["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)

    failing = {name for name, result in components.items() if result["status"] != "ok"}
    if failing & CRITICAL_COMPONENTS:
        status = UNHEALTHY
    elif failing:
        status = DEGRADED
    else:
        status = HEALTHY
    return {"status": status, "components": components, "timestamp": timezone.now().isoformat()}
