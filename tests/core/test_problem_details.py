"""Every error under /api/ is an RFC 9457 problem document, never an HTML page or a 500."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import APIKey
from campaigns.models import Campaign

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/campaigns/"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert body["type"].startswith("https://")
    return body


@pytest.fixture
def marks_api(api_for, mark, acme):
    return api_for(mark, acme)


def test_it_answers_malformed_json_with_400(marks_api):
    response = marks_api.post(CAMPAIGNS, data='{"name": "Spring', content_type="application/json")

    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]
    assert not Campaign.objects.exists()


def test_it_lists_each_wrongly_typed_field(marks_api):
    response = marks_api.post(CAMPAIGNS, {"name": "Spring", "target_clients": "many", "active": "perhaps"})

    body = assert_problem(response, 400)
    assert set(body["errors"]) == {"target_clients", "active"}
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())


def test_it_names_missing_required_fields(marks_api):
    body = assert_problem(marks_api.post(CAMPAIGNS, {}), 400)

    assert body["errors"]["name"] == ["This field is required."]
    assert body["detail"].startswith("name:")


def test_it_rejects_unknown_fields_instead_of_ignoring_them(marks_api):
    response = marks_api.post(CAMPAIGNS, {"name": "Spring", "nmae": "typo"})

    body = assert_problem(response, 400)
    assert body["errors"] == {"nmae": ["Unknown field."]}
    assert not Campaign.objects.exists()


def test_it_reports_unknown_and_invalid_fields_together(marks_api):
    body = assert_problem(marks_api.post(CAMPAIGNS, {"target_clients": -1, "colour": "red"}), 400)

    assert set(body["errors"]) == {"name", "target_clients", "colour"}


def test_it_says_when_a_field_is_read_only(marks_api):
    body = assert_problem(marks_api.post(CAMPAIGNS, {"name": "Spring", "lifecycle_state": "publish"}), 400)

    assert body["errors"] == {"lifecycle_state": ["This field is read-only."]}


def test_it_rejects_a_json_array_body(marks_api):
    response = marks_api.post(CAMPAIGNS, data='[{"name": "Spring"}]', content_type="application/json")

    body = assert_problem(response, 400)
    assert "Expected a JSON object" in body["errors"]["non_field_errors"][0]


@pytest.mark.parametrize("payload", ["null", '"Spring"', "42"])
def test_it_rejects_a_json_body_that_is_not_an_object(marks_api, payload):
    assert_problem(marks_api.post(CAMPAIGNS, data=payload, content_type="application/json"), 400)


def test_it_rejects_a_body_larger_than_the_limit_with_413(marks_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = marks_api.post(CAMPAIGNS, {"name": "Spring", "description": "x" * 4000})

    assert_problem(response, 413)
    assert not Campaign.objects.exists()


def test_it_rejects_an_oversized_body_that_carries_an_idempotency_key(marks_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = marks_api.post(CAMPAIGNS, {"name": "Spring", "description": "x" * 4000},
                              HTTP_IDEMPOTENCY_KEY="big-1")

    assert_problem(response, 413)


def test_it_refuses_form_encoded_bodies_with_415(marks_api):
    response = marks_api.post(CAMPAIGNS, data="name=Spring", content_type="application/x-www-form-urlencoded")

    body = assert_problem(response, 415)
    assert "application/x-www-form-urlencoded" in body["detail"]


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_an_unknown_api_address_with_404(marks_api, settings, debug):
    settings.DEBUG = debug

    response = marks_api.get("/api/v1/no-such-thing/")

    assert_problem(response, 404)
    assert b"<html" not in response.content.lower()


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_an_unknown_api_address_with_404_even_when_anonymous(client, settings, debug):
    settings.DEBUG = debug

    assert_problem(client.post("/api/v1/nothing/here", data="{}", content_type="application/json"), 404)


def test_it_answers_a_missing_object_with_404(marks_api):
    body = assert_problem(marks_api.get(f"{CAMPAIGNS}999999/"), 404)

    assert body["type"].endswith("/not-found")


def test_it_answers_an_unsupported_method_with_405_and_allow(marks_api, acme):
    campaign = Campaign.objects.create(workspace=acme, name="Spring")

    response = marks_api.delete(f"{CAMPAIGNS}{campaign.pk}/")

    assert_problem(response, 405)
    assert "DELETE" not in response["Allow"]
    assert "GET" in response["Allow"]
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_it_asks_anonymous_callers_to_authenticate(db):
    response = APIClient().get(CAMPAIGNS)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_a_bad_api_key_with_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer ld_abcdefgh_not-a-real-secret")

    response = client.get(CAMPAIGNS)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_a_garbled_jwt_with_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")

    assert_problem(client.get(CAMPAIGNS), 401)


def test_it_forbids_a_viewer_to_write(api_for, vic, acme):
    response = api_for(vic, acme).post(CAMPAIGNS, {"name": "Spring"})

    body = assert_problem(response, 403)
    assert "role" in body["detail"]
    assert not Campaign.objects.exists()


def test_it_answers_an_invalid_filter_with_400(marks_api):
    body = assert_problem(marks_api.get(f"{CAMPAIGNS}?lifecycle_state=sideways"), 400)

    assert "lifecycle_state" in body["errors"]


def test_it_answers_a_page_past_the_end_with_404(marks_api):
    assert_problem(marks_api.get(f"{CAMPAIGNS}?page=9"), 404)


def test_it_answers_a_role_change_without_a_role_with_400(api_for, alice, mark, acme):
    membership = mark.memberships.get()

    response = api_for(alice, acme).put(f"/api/v1/members/{membership.pk}/", {})

    assert_problem(response, 400)


def test_it_keeps_working_after_a_refused_request(marks_api):
    marks_api.post(CAMPAIGNS, data="{", content_type="application/json")

    response = marks_api.post(CAMPAIGNS, {"name": "Spring"})

    assert response.status_code == 201
    assert APIKey.objects.count() == 1


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_a_post_to_an_address_missing_its_slash_with_404(marks_api, settings, debug):
    settings.DEBUG = debug
    marks_api.raise_request_exception = False

    response = marks_api.post("/api/v1/campaigns", {"name": "Spring"})

    body = assert_problem(response, 404)
    assert "/api/v1/campaigns/" in body["detail"]
    assert not Campaign.objects.exists()


def test_it_answers_a_model_validation_error_from_a_service_with_400(marks_api, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**_):
        raise ValidationError({"name": ["A campaign with this name exists."], "__all__": ["Not now."]})

    monkeypatch.setattr("campaigns.api.views.campaign_create", refuse)

    body = assert_problem(marks_api.post(CAMPAIGNS, {"name": "Spring"}), 400)

    assert body["errors"] == {"name": ["A campaign with this name exists."], "non_field_errors": ["Not now."]}


def test_it_answers_an_unexpected_error_with_a_500_problem(marks_api, monkeypatch):
    def crash(**_):
        raise RuntimeError("boom")

    monkeypatch.setattr("campaigns.api.views.campaign_create", crash)
    marks_api.raise_request_exception = False

    body = assert_problem(marks_api.post(CAMPAIGNS, {"name": "Spring"}), 500)

    assert "boom" not in body["detail"]


def test_it_answers_an_unsatisfiable_accept_header_with_406(marks_api):
    assert_problem(marks_api.get(CAMPAIGNS, HTTP_ACCEPT="application/xml"), 406)


def test_it_answers_too_many_requests_with_429_and_retry_after(marks_api, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    marks_api.get(CAMPAIGNS)
    marks_api.get(CAMPAIGNS)

    response = marks_api.get(CAMPAIGNS)

    body = assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert body["retry_after"] == int(response["Retry-After"])
