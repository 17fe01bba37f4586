import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_every_component_healthy(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert set(body["components"]) == {"database", "cache", "channel_layer", "broker"}
    assert all(c["status"] == "ok" for c in body["components"].values())
