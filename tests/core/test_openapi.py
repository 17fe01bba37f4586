"""The OpenAPI schema is valid, warning-free, and documents the shared conventions."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_it_documents_the_problem_format(schema):
    problem = schema["components"]["schemas"]["Problem"]

    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "errors" in problem["properties"]


def test_it_documents_problem_responses_on_every_operation(schema):
    create = schema["paths"]["/api/v1/campaigns/"]["post"]
    detail = schema["paths"]["/api/v1/campaigns/{id}/"]["get"]

    assert create["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"}
    assert create["responses"]["422"] == {"$ref": "#/components/responses/IdempotencyKeyReused"}
    assert detail["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    not_found = schema["components"]["responses"]["NotFound"]
    assert "application/problem+json" in not_found["content"]


def test_it_documents_idempotency_key_on_creating_posts(schema):
    create = schema["paths"]["/api/v1/campaigns/"]["post"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    assert not any(p["name"] == "Idempotency-Key" for p in token.get("parameters", []))
