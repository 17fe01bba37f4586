"""Idempotency-Key for creating POSTs, implemented once for every API view.

Same key + same request replays the stored response; same key + a different request is
422; same key while the first request still runs is 409. A request that crashes or
answers 5xx (or a transient 409/423/429) releases its key so the client can retry.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.api.problems import Problem
from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
# A request still marked in progress after this long is presumed dead (its process
# crashed between running and recording); a retry may take its key over.
STALE_AFTER = timedelta(minutes=5)
_NOT_STORED_STATUSES = {409, 423, 429}
_REPLAYED_HEADERS = ("Location", "Content-Type")


@dataclass(frozen=True)
class Replay:
    status: int
    body: object
    headers: dict[str, str]


def validate_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > 255 or not key.isascii() or not key.isprintable():
        raise Problem(
            400,
            "Invalid Idempotency-Key",
            detail="Idempotency-Key must be 1 to 255 printable ASCII characters.",
        )
    return key


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """Hash of what makes two requests "the same": method, path and (canonical JSON) body."""
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), b"\n", path.encode(), b"\n", canonical):
        digest.update(part)
    return digest.hexdigest()


def idempotency_begin(*, scope: str, key: str, fingerprint: str) -> IdempotencyKey | Replay:
    """Claim `key` for a new request, or return the stored response to replay.

    Raises Problem(409) while another request holds the key, Problem(422) when the key
    was used for a different request.
    """
    now = timezone.now()
    for _attempt in range(2):
        existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if existing is not None and existing.expires_at <= now:
            existing.delete()
            existing = None
        if existing is None:
            try:
                with transaction.atomic():
                    return IdempotencyKey.objects.create(
                        scope=scope,
                        key=key,
                        fingerprint=fingerprint,
                        locked_at=now,
                        expires_at=now + settings.IDEMPOTENCY_KEY_TTL,
                    )
            except IntegrityError:
                continue  # a concurrent request claimed it first: look again
        return _resolve_existing(existing, fingerprint, now)
    raise Problem(409, "Request in progress", detail="A request with this Idempotency-Key is in progress.")


def _resolve_existing(record: IdempotencyKey, fingerprint: str, now) -> IdempotencyKey | Replay:
    if record.fingerprint != fingerprint:
        raise Problem(
            422,
            "Idempotency-Key reused",
            detail="This Idempotency-Key was already used for a different request.",
            type_="idempotency-key-reused",
        )
    if record.state == IdempotencyKey.State.COMPLETED:
        return Replay(record.status_code, record.response_body, record.response_headers)
    if record.locked_at > now - STALE_AFTER:
        raise Problem(
            409,
            "Request in progress",
            detail="A request with this Idempotency-Key is still being processed; retry shortly.",
            type_="idempotency-in-progress",
        )
    claimed = IdempotencyKey.objects.filter(pk=record.pk, locked_at=record.locked_at).update(locked_at=now)
    if not claimed:
        raise Problem(409, "Request in progress", detail="A request with this Idempotency-Key is in progress.")
    record.locked_at = now
    return record


def idempotency_complete(record: IdempotencyKey, *, status: int, body, headers: dict[str, str]) -> None:
    if status >= 500 or status in _NOT_STORED_STATUSES:
        record.delete()
        return
    record.state = IdempotencyKey.State.COMPLETED
    record.status_code = status
    record.response_body = body
    record.response_headers = {name: headers[name] for name in _REPLAYED_HEADERS if name in headers}
    record.save(update_fields=["state", "status_code", "response_body", "response_headers"])


def idempotency_release(record: IdempotencyKey) -> None:
    record.delete()


def idempotency_purge_expired() -> int:
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
