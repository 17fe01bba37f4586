"""A real Launchdeck server and headless Chromium for the browser tests.

Run with `make test-browser` (pytest without pytest-django: Playwright's sync API and
Django's database fixtures cannot share a process). The server is daphne in its own
process, on a fresh database: `<DATABASE_URL name>_browser` on PostgreSQL when
DATABASE_URL is set, a temporary SQLite file otherwise. It runs without REDIS_URL, so
background tasks run in the server process and no worker is needed.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"


@dataclass(frozen=True)
class LiveServer:
    url: str
    password: str
    process: subprocess.Popen


def _database(tmp: Path):
    database_url = os.environ.get("DATABASE_URL")
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        return fresh_postgres_database(database_url, "browser")
    return nullcontext(f"sqlite:///{tmp / 'browser.sqlite3'}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("server")
    password = demo_password()
    with _database(tmp) as database_url:
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "LAUNCHDECK_ENV"}}
        env.update(
            DATABASE_URL=database_url,
            LAUNCHDECK_VAR_DIR=str(tmp / "var"),
            LAUNCHDECK_DEMO_PASSWORD=password,
            LAUNCHDECK_DEBUG="0",  # error pages as users see them
            LAUNCHDECK_FETCH_ALLOW_HOSTS="127.0.0.1",  # the Generate test reads a site on a local server
        )
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        port = free_port()
        server = start(
            [sys.executable, "-m", "daphne", "--bind", "127.0.0.1", "--port", str(port),
             "--application-close-timeout", "10", "config.asgi:application"],
            env, tmp / "daphne.log",
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_health(url, [server])
            yield LiveServer(url=url, password=password, process=server)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill_group(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
        server = item.funcargs.get("live_server")
        if report.failed and server is not None:
            # Server errors (a 500 behind a failed assertion) are in the server's log.
            report.sections.append(("daphne log (last lines)", log_tail(server.process, 80)))
    return report


def _page(browser, live_server, request, **options) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "call_failed", False):
        # What the browser showed when the test failed, next to the other screenshots.
        screenshot(page, f"failed-{request.node.name}")
    context.close()


@pytest.fixture
def page(browser, live_server, request) -> Iterator[Page]:
    yield from _page(browser, live_server, request, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(browser, live_server, request) -> Iterator[Page]:
    yield from _page(browser, live_server, request, viewport={"width": 390, "height": 844},
                     device_scale_factor=2, is_mobile=True, has_touch=True)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
