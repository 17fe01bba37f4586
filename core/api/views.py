"""The base of every API view: idempotent POSTs on top of DRF's dispatch."""

from rest_framework.response import Response
from rest_framework.views import APIView

from core.idempotency import (
    HEADER,
    Replay,
    idempotency_begin,
    idempotency_complete,
    idempotency_release,
    request_fingerprint,
    validate_key,
)


class IdempotentAPIMixin:
    """Honours `Idempotency-Key` on POST for any view that inherits it.

    The key is claimed after authentication, permissions and throttling (so a refused
    request never claims one) and released again if the handler fails unexpectedly.
    Views whose responses must never be stored (they hold credentials) set
    `idempotency_redact` to the response fields to blank out before storing.
    """

    idempotent = True
    idempotency_redact: tuple[str, ...] = ()

    def idempotency_scope(self, request) -> str | None:
        workspace = getattr(request, "workspace", None)
        return f"ws:{workspace.pk}" if workspace is not None else None

    def dispatch(self, request, *args, **kwargs):
        # Mirrors APIView.dispatch, with the idempotency claim between `initial` and the handler.
        self.args, self.kwargs = args, kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        record = None
        try:
            self.initial(request, *args, **kwargs)
            record_or_replay = self._idempotency_claim(request)
            if isinstance(record_or_replay, Replay):
                response = self._idempotency_replay(record_or_replay)
            else:
                record = record_or_replay
                handler = getattr(self, request.method.lower(), self.http_method_not_allowed)
                if request.method.lower() not in self.http_method_names:
                    handler = self.http_method_not_allowed
                response = handler(request, *args, **kwargs)
        except Exception as exc:
            try:
                response = self.handle_exception(exc)
            except Exception:
                if record is not None:
                    idempotency_release(record)  # an unexpected error: let the client retry
                raise
        if record is not None:
            self._idempotency_store(record, response)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        return self.response

    def _idempotency_claim(self, request):
        raw_key = request.headers.get(HEADER)
        if request.method != "POST" or raw_key is None or not self.idempotent:
            return None
        scope = self.idempotency_scope(request)
        if scope is None:
            return None
        key = validate_key(raw_key)
        fingerprint = request_fingerprint(request.method, request.path, request._request.body)
        return idempotency_begin(scope=scope, key=key, fingerprint=fingerprint)

    def _idempotency_store(self, record, response) -> None:
        body = getattr(response, "data", None)
        if isinstance(body, dict) and self.idempotency_redact:
            body = {k: (None if k in self.idempotency_redact else v) for k, v in body.items()}
        headers = dict(response.items())
        # A DRF response is rendered later; until then its Content-Type header is Django's
        # default, and the type it will carry (problem+json for errors) is `content_type`.
        headers.pop("Content-Type", None)
        if getattr(response, "content_type", None):
            headers["Content-Type"] = response.content_type
        idempotency_complete(record, status=response.status_code, body=body, headers=headers)

    def _idempotency_replay(self, replay: Replay) -> Response:
        headers = {name: value for name, value in replay.headers.items() if name != "Content-Type"}
        return Response(
            replay.body,
            status=replay.status,
            headers={**headers, "Idempotent-Replayed": "true"},
            content_type=replay.headers.get("Content-Type"),
        )


class BaseAPIView(IdempotentAPIMixin, APIView):
    pass
