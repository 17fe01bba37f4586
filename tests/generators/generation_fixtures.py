"""Fixtures for the generation tests: a realistic site on a local server, a thin one, and
writers that fail on purpose. Import the fixtures you use into the test module."""

import json
import re

import pytest

from generators.types import PartFailed
from tests.generators.local_http import LocalServer, html, site_routes

THIN_HOME = "<html><head><title>Soon</title></head><body><h1>Coming soon</h1></body></html>"

PROVIDED_ICP = {
    "industries": ["B2B SaaS"],
    "company_sizes": ["50-500 employees"],
    "regions": ["North America"],
    "roles": ["VP of Revenue Operations", "CFO"],
    "pains": ["Forecasts miss by more than 10%"],
    "buying_triggers": ["Raised a Series B"],
    "exclusions": ["Agencies"],
}


@pytest.fixture
def allow_local_fetches(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = ["127.0.0.1", "localhost"]


@pytest.fixture
def site(allow_local_fetches):
    """Relaypoint, a revenue analytics company's site: home, product, pricing, customers, ..."""
    with LocalServer(site_routes("relaypoint")) as server:
        yield server


@pytest.fixture
def thin_site(allow_local_fetches):
    """A site with almost no text: too little to write from honestly."""
    with LocalServer({"/": html(THIN_HOME), "/robots.txt": html("")}) as server:
        yield server


class FailingWriter:
    """The real writer, except that `part` raises the way a writer gives up."""

    def __init__(self, inner, part: str):
        self.inner, self.part = inner, part
        self.name, self.version = inner.name, inner.version

    def write(self, part, *, facts, icp, emit_delta):
        if part == self.part:
            emit_delta("Starting, then giving up.")
            raise PartFailed(f"The {part} could not be written.")
        return self.inner.write(part, facts=facts, icp=icp, emit_delta=emit_delta)


@pytest.fixture
def failing_part(monkeypatch):
    """`failing_part("email_pack")` makes that part fail in every run of this test."""
    from generators import services

    def fail(part: str):
        real = services.get_writer
        monkeypatch.setattr(services, "get_writer", lambda name: FailingWriter(real(name), part))

    return fail


def parse_sse(body: bytes) -> list[dict]:
    """Frames of a text/event-stream body: [{"id", "event", "data"}, ...]."""
    frames = []
    for block in body.decode().split("\n\n"):
        fields = dict(re.findall(r"^(id|event|data): (.*)$", block, flags=re.MULTILINE))
        if fields:
            frames.append({"id": int(fields["id"]), "event": fields["event"], "data": json.loads(fields["data"])})
    return frames


def event_types(envelopes: list[dict]) -> list[str]:
    """The sequence without deltas (how many deltas a writer sends is its own business)."""
    return [e["type"] for e in envelopes if e["type"] != "part.delta"]
