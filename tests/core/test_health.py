import pytest

from core.health import CHECKS
from tests.services import require_redis

pytestmark = pytest.mark.django_db


def test_it_reports_every_component_healthy(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert set(body["components"]) == {"database", "cache", "channel_layer", "broker"}
    assert all(c["status"] == "ok" for c in body["components"].values())


def _failing(message):
    def check():
        raise ConnectionError(message)

    return check


@pytest.mark.parametrize("component", ["cache", "channel_layer", "broker"])
def test_it_reports_degraded_but_serving_when_a_supporting_service_fails(client, monkeypatch, component):
    monkeypatch.setitem(CHECKS, component, _failing("connection refused"))

    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["components"][component]["status"] == "error"
    assert body["components"][component]["detail"] == "ConnectionError: connection refused"
    assert body["components"]["database"]["status"] == "ok"


def test_it_reports_unhealthy_with_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setitem(CHECKS, "database", _failing("could not connect to server"))

    response = client.get("/api/v1/health")

    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response["Content-Type"] == "application/json"


def test_it_times_every_component(client):
    components = client.get("/api/v1/health").json()["components"]

    assert all(isinstance(c["latency_ms"], int | float) and c["latency_ms"] >= 0 for c in components.values())


def test_it_answers_a_load_balancer_without_credentials_and_is_never_cached(client):
    response = client.get("/api/v1/health", HTTP_AUTHORIZATION="Bearer ld_nonsense_key")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_it_is_not_counted_against_the_anonymous_throttle(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "anon": "1/min"}}

    statuses = {client.get("/api/v1/health").status_code for _ in range(3)}

    assert statuses == {200}


def test_it_checks_the_redis_backends_in_the_production_topology(client):
    require_redis()

    components = client.get("/api/v1/health").json()["components"]

    assert components["cache"] == {**components["cache"], "status": "ok", "backend": "RedisCache"}
    assert components["channel_layer"]["backend"] == "RedisChannelLayer"
    assert components["broker"]["status"] == "ok"
    assert components["broker"]["backend"] != "in-process"
