"""What the OpenAPI schema says about the API's shared conventions.

Every view inherits the same error format and the same Idempotency-Key handling, so the
schema documents them once, here, instead of on each view: `AutoSchema` adds the
Idempotency-Key header to idempotent POSTs, and `add_problem_responses` (a drf-spectacular
postprocessing hook) adds a reusable `Problem` component and the error responses each
operation can give.
"""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter

from core.api.problems import PROBLEM_CONTENT_TYPE

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "1–255 printable ASCII characters, unique per request you mean to make once. A retry "
        "with the same key and body replays the first response (header `Idempotent-Replayed: "
        "true`); the same key with a different body answers 422; while the first request runs, "
        "409. Keys are scoped to the workspace and kept for at least 24 hours."
    ),
)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST" and getattr(self.view, "idempotent", False) and hasattr(
            self.view, "idempotency_scope"
        ):
            parameters = [*parameters, IDEMPOTENCY_KEY_PARAMETER]
        return parameters


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document, the one error format of the API.",
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Identifies the kind of problem."},
        "title": {"type": "string", "description": "Short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong with this request."},
        "errors": {
            "type": "object",
            "description": "Validation errors: each offending field (dotted path) with its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
    "additionalProperties": True,
}

# Status → (component name, description).
PROBLEM_RESPONSES = {
    400: ("BadRequest", "Malformed JSON, wrong types, unknown or read-only fields (see `errors`)."),
    401: ("NotAuthenticated", "Missing, invalid or revoked credentials."),
    403: ("Forbidden", "Your role in this workspace does not allow this action."),
    404: ("NotFound", "No such object in your workspace."),
    409: ("Conflict", "The request conflicts with the current state, or its Idempotency-Key is in use."),
    413: ("PayloadTooLarge", "The request body is larger than the server accepts."),
    415: ("UnsupportedMediaType", "The body is not `application/json`."),
    422: ("IdempotencyKeyReused", "The Idempotency-Key was already used for a different request."),
    429: ("TooManyRequests", "Rate limited; `Retry-After` says when to try again."),
}

_HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


def _statuses_for(path: str, method: str, operation: dict) -> list[int]:
    authenticated = any(requirement for requirement in operation.get("security", []))
    takes_body = "requestBody" in operation
    idempotent = any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", []))
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    statuses = []
    if takes_body or has_query or idempotent:
        statuses.append(400)
    if authenticated:
        statuses += [401, 403]
    if authenticated or method == "post":
        statuses.append(429)
    if "{" in path:
        statuses.append(404)
    if idempotent or (method in {"put", "patch", "delete"} and authenticated):
        statuses.append(409)
    if takes_body:
        statuses += [413, 415]
    if idempotent:
        statuses.append(422)
    return sorted(set(statuses))


def add_problem_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    shared = components.setdefault("responses", {})
    for name, description in PROBLEM_RESPONSES.values():
        shared[name] = {
            "description": description,
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in _HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses_for(path, method, operation):
                name = PROBLEM_RESPONSES[status][0]
                responses.setdefault(str(status), {"$ref": f"#/components/responses/{name}"})
    return result
