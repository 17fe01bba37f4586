import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.urls import is_valid_path

from core.api.problems import is_api_path, problem_response
from core.logging import set_request_id

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,128}$")


class RequestIdMiddleware:
    """Accepts a well-formed incoming X-Request-ID or makes one, and echoes it back.

    Also says how long the server spent on the request (`Server-Timing: app;dur=<ms>`), so a
    client or a benchmark can tell server time from network and client time.
    """

    header = "HTTP_X_REQUEST_ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        incoming = request.META.get(self.header, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            set_request_id("-")
        response["X-Request-ID"] = request_id
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response


def _slash_missing(request: HttpRequest) -> bool:
    """True when the path matches no route but would with a trailing slash (APPEND_SLASH)."""
    urlconf = getattr(request, "urlconf", None)
    path = request.path_info
    return (
        settings.APPEND_SLASH
        and not path.endswith("/")
        and not is_valid_path(path, urlconf)
        and is_valid_path(f"{path}/", urlconf)
    )


class ApiProblemMiddleware:
    """Django-level failures on /api/ paths answer problem+json, never an HTML page.

    DRF's exception handler covers errors inside API views; this covers what happens
    outside them: unknown API URLs, oversized bodies, CSRF failures, debug error pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path) and request.method not in ("GET", "HEAD") and _slash_missing(request):
            # CommonMiddleware would redirect (losing the body) or, under DEBUG, crash with a
            # 500. API addresses are exact: say which one was meant.
            return problem_response(404, detail=f"No resource at this address. Did you mean {request.path}/ ?")
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_path(request.path)
            and "json" not in response.get("Content-Type", "")
        ):
            # An error rendered as HTML by Django itself (e.g. the debug 404 page for an
            # unknown API URL, or a CSRF failure page): answer in the API's format instead.
            problem = problem_response(response.status_code)
            for header in ("Retry-After", "Allow", "WWW-Authenticate"):
                if header in response:
                    problem[header] = response[header]
            return problem
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, RequestDataTooBig):
            return problem_response(413, detail="The request body is larger than this server accepts.")
        return None
