"""RFC 9457 problem details: the one error format of the API.

Every error under /api/ is `application/problem+json` with `type`, `title`, `status`,
`detail` and, for validation errors, `errors` mapping each field to its messages.
"""

from http import HTTPStatus
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://launchdeck.dev/problems/"

_TYPES = {
    400: "invalid-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def problem_body(
    status: int, *, detail: str = "", title: str | None = None, errors=None, type_: str | None = None, **extra
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (type_ or _TYPES.get(status, "error")),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def problem_response(status: int, **kwargs) -> JsonResponse:
    """A problem+json response for plain Django code paths (handlers, middleware)."""
    return JsonResponse(problem_body(status, **kwargs), status=status, content_type=PROBLEM_CONTENT_TYPE)


class Problem(exceptions.APIException):
    """Raise from a service or view to answer a specific problem.

    `Problem(409, "Strategy changed", detail="...", blockers=[...])` — keyword arguments
    beyond detail/title/type become extension members of the problem document.
    """

    def __init__(self, status: int, title: str | None = None, *, detail: str = "", type_: str | None = None, **extra):
        self.status_code = status
        self.title = title
        self.type_ = type_
        self.extra = extra
        super().__init__(detail=detail or HTTPStatus(status).description)


def _flatten_errors(data) -> dict[str, list[str]]:
    """DRF's nested error structure as `{"field": [...], "field.sub": [...]}`."""
    flat: dict[str, list[str]] = {}

    def walk(value, prefix: str):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(value, list) and value and all(not isinstance(v, dict | list) for v in value):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, f"{prefix}.{index}" if prefix else str(index))
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk(data, "")
    return flat


def _django_validation_errors(exc: DjangoValidationError) -> dict:
    from rest_framework.serializers import as_serializer_error
    from rest_framework.settings import api_settings

    errors = as_serializer_error(exc)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def exception_handler(exc, context):
    # Imported here: rest_framework.views imports the authentication classes, which import
    # the services that raise Problem, so a module-level import would be circular.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        # A service's full_clean() caught what the serializer did not: still the client's error.
        exc = exceptions.ValidationError(_django_validation_errors(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = Problem(413, detail="The request body is larger than this server accepts.")
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError("The request was malformed.")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: let Django's 500 handler answer (problem+json on /api/)

    status = response.status_code
    if isinstance(exc, Problem):
        body = problem_body(status, detail=str(exc.detail), title=exc.title, type_=exc.type_, **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten_errors(exc.detail)
        first = next(iter(errors.items()), None)
        summary = f"{first[0]}: {first[1][0]}" if first else "Invalid input."
        body = problem_body(status, title="Invalid request", detail=summary, errors=errors, type_="validation")
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, dict | list):
            body = problem_body(status, errors=_flatten_errors(detail))
        else:
            body = problem_body(status, detail=str(detail))
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["retry_after"] = int(exc.wait)

    return Response(body, status=status, headers=dict(response.items()), content_type=PROBLEM_CONTENT_TYPE)


# Django-level handlers: on API paths they answer problem+json, elsewhere the HTML page.
def handler404(request, exception=None):
    if is_api_path(request.path):
        return problem_response(404, detail="No resource at this address.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if is_api_path(request.path):
        return problem_response(500, detail="An unexpected error occurred; it has been logged.")
    from django.views.defaults import server_error

    return server_error(request)


def handler400(request, exception=None):
    if is_api_path(request.path):
        if isinstance(exception, RequestDataTooBig):
            return problem_response(413, detail="The request body is larger than this server accepts.")
        return problem_response(400, detail="The request was malformed.")
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler403(request, exception=None):
    if is_api_path(request.path):
        return problem_response(403, detail="You do not have permission to perform this action.")
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)
