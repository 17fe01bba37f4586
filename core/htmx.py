"""Small helpers for answering htmx requests the same way everywhere."""

from django.http import HttpResponse
from django_htmx.http import trigger_client_event

# A refused action (403, 409) answered with a fragment that explains the refusal: static/js/app.js
# swaps such a fragment in like a 200 instead of showing a generic error toast.
REFUSAL_HEADER = "X-Refusal-Fragment"


def toast(response: HttpResponse, message: str, level: str = "success") -> HttpResponse:
    return trigger_client_event(response, "toast", {"message": message, "level": level})


def refusal(response: HttpResponse) -> HttpResponse:
    response[REFUSAL_HEADER] = "true"
    return response
