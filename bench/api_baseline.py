"""Baseline latency of the API on the embedded default (or PostgreSQL/Redis when set).

Starts its own daphne on a fresh database, seeds 200 campaigns, then times sequential
requests with one keep-alive client. Prints p50/p95/p99 per endpoint.

    .venv/bin/python bench/api_baseline.py [--requests 300]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEED_CAMPAIGNS = """
from accounts.models import Workspace
from campaigns.models import Campaign
ws = Workspace.objects.get(slug="demo")
Campaign.objects.bulk_create(
    [Campaign(workspace=ws, name=f"Bench campaign {i}", target_niche="SaaS") for i in range(200)]
)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        env = {**os.environ, "LAUNCHDECK_VAR_DIR": var_dir, "LAUNCHDECK_DEMO_PASSWORD": "bench-password-1",
               "LAUNCHDECK_THROTTLE_USER": "100000/min", "LAUNCHDECK_LOG_LEVEL": "warning"}
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "shell", "-c", SEED_CAMPAIGNS)
        key = manage(env, "apikey", "create", "--workspace", "demo", "--user", "marketer").strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
                for _ in range(100):
                    try:
                        if client.get("/api/v1/health").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                endpoints = [
                    ("GET /api/v1/health", lambda: client.get("/api/v1/health")),
                    ("GET /api/v1/campaigns/ (25 of 203)", lambda: client.get("/api/v1/campaigns/")),
                    ("GET /api/v1/campaigns/?search=Bench", lambda: client.get("/api/v1/campaigns/?search=Bench")),
                    ("POST /api/v1/campaigns/", lambda: client.post("/api/v1/campaigns/", json={"name": "Bench"})),
                ]
                db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
                print(f"{args.requests} sequential requests per endpoint, database {db}, one client")
                print(f"{'endpoint':40} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}")
                for label, call in endpoints:
                    for _ in range(20):
                        call()
                    samples = []
                    for _ in range(args.requests):
                        started = time.perf_counter()
                        response = call()
                        samples.append((time.perf_counter() - started) * 1000)
                        response.raise_for_status()
                    rate = 1000 / statistics.fmean(samples)
                    print(f"{label:40} {percentile(samples, .5):8.1f} {percentile(samples, .95):8.1f} "
                          f"{percentile(samples, .99):8.1f} {rate:8.0f}")
        finally:
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
