"""Generation timings against a local copy of a realistic site, with the template writer.

Prints: each single part vs the complete package (parts run in parallel, so the package
should take at most 1.25x the slowest part), the server time of a cached repeat (< 20 ms),
and the time to the first server-sent event of `?stream=true` (< 150 ms). Runs in-process
on a fresh SQLite database in a temporary directory (embedded mode).

    .venv/bin/python bench/generators.py [--repeat 7]
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str, database_url: str | None = None, redis_url: str | None = None) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "LAUNCHDECK_ENV"):
        os.environ.pop(name, None)
    # The production topology's stores, when asked for (use a scratch database: it is migrated
    # and written to).
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    os.environ.update(LAUNCHDECK_VAR_DIR=var_dir, LAUNCHDECK_FETCH_ALLOW_HOSTS="127.0.0.1",
                      LAUNCHDECK_LOG_LEVEL="warning", DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_runs(workspace, user, website: str, kind: str, repeat: int) -> float:
    from generators.services import generation_create, generation_run

    samples = []
    for _ in range(repeat):
        generation = generation_create(workspace=workspace, user=user, kind=kind, website=website, refresh=True)
        started = time.perf_counter()
        generation_run(generation.pk)
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


async def cached_repeat_ms(application, key: str, website: str, repeat: int) -> tuple[float, float]:
    """Server time (Server-Timing) and wall time of a cached repeat, served through the ASGI
    application as daphne serves it (sync views in a worker thread beside the event loop)."""
    body = json.dumps({"website": website}).encode()
    await _asgi_post(application, key, body)  # fills the cache
    server_samples, wall_samples = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        start, payload = await _asgi_post(application, key, body)
        wall_samples.append(time.perf_counter() - started)
        assert json.loads(payload)["cache_hit"], payload[:300]
        timing = {name.lower(): value for name, value in start["headers"]}[b"server-timing"].decode()
        server_samples.append(float(timing.partition(";dur=")[2]) / 1000)
    return median_ms(server_samples), median_ms(wall_samples)


async def _asgi_post(application, key: str, body: bytes, query: bytes = b"") -> tuple[dict, bytes]:
    from channels.testing import ApplicationCommunicator

    path = "/api/v1/generate/complete/"
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
        "server": ("testserver", 80), "client": ("127.0.0.1", 50000),
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {key}".encode()),
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await communicator.receive_output(timeout=30)
    chunks = []
    while True:
        message = await communicator.receive_output(timeout=30)
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=5)
    return start, b"".join(chunks)


async def first_event_ms(application, key: str, website: str) -> float:
    from channels.testing import ApplicationCommunicator

    raw = json.dumps({"website": website, "refresh": True}).encode()
    path = "/api/v1/generate/complete/"
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"stream=true", "root_path": "",
        "server": ("testserver", 80), "client": ("127.0.0.1", 50000),
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {key}".encode()),
                    (b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())],
    }
    communicator = ApplicationCommunicator(application, scope)
    started = time.perf_counter()
    await communicator.send_input({"type": "http.request", "body": raw, "more_body": False})
    await communicator.receive_output(timeout=10)  # response start
    first = None
    while True:
        message = await communicator.receive_output(timeout=30)
        if first is None and b"event:" in message.get("body", b""):
            first = time.perf_counter() - started
        if not message.get("more_body"):
            break
    await communicator.wait(timeout=5)
    return first * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (default: SQLite in a temp dir)")
    parser.add_argument("--redis-url", help="Redis for the cache and channel layer (default: in-process)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ld-bench-gen-") as var_dir:
        setup_django(var_dir, args.database_url, args.redis_url)
        from accounts.models import Membership, Role, User, Workspace
        from accounts.services import api_key_create
        from config.asgi import application
        from tests.generators.local_http import LocalServer, site_routes

        workspace = Workspace.objects.create(name="Bench", slug="bench")
        user = User.objects.create_user(username="bench")
        Membership.objects.create(workspace=workspace, user=user, role=Role.ADMIN)
        key = api_key_create(workspace=workspace, user=user, name="bench").raw_key

        with LocalServer(site_routes("relaypoint")) as site:
            website = site.url("/")
            time_runs(workspace, user, website, "complete", 1)  # warm-up (imports, first connections)
            parts = {kind: time_runs(workspace, user, website, kind, args.repeat)
                     for kind in ("positioning", "email_pack", "enrichment")}
            complete = time_runs(workspace, user, website, "complete", args.repeat)
            server_ms, wall_ms = asyncio.run(cached_repeat_ms(application, key, website, args.repeat))
            first_events = [asyncio.run(first_event_ms(application, key, website)) for _ in range(args.repeat)]

    slowest = max(parts.values())
    stores = f"{'PostgreSQL' if args.database_url else 'SQLite'}, {'Redis' if args.redis_url else 'in-process'} cache"
    print(f"generation timings, median of {args.repeat} (template writer, local site, {stores})")
    for kind, ms in parts.items():
        print(f"  {kind:<12} alone        {ms:8.1f} ms")
    print(f"  complete package       {complete:8.1f} ms  = {complete / slowest:.2f}x the slowest part (target <= 1.25x)")
    print(f"  cached repeat          {server_ms:8.1f} ms  server time (Server-Timing; target < 20 ms), "
          f"{wall_ms:.1f} ms through the ASGI app")
    print(f"  first streamed event   {statistics.median(first_events):8.1f} ms  after the request, via ASGI (target < 150 ms)")


if __name__ == "__main__":
    main()
