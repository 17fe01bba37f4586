"""Request ids in every log line, and secrets kept out of the logs."""

import logging
import re
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def get_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> None:
    _request_id.set(value)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = get_request_id()
        return True


# What a secret looks like in a message: our API keys, bearer tokens and JWTs, and
# `password=...`/`"password": "..."` pairs. Replaced before any handler writes the record.
_SECRET_PATTERNS = [
    (re.compile(r"ld_[A-Za-z0-9]{8}_[A-Za-z0-9_\-]{20,}"), "ld_[redacted]"),
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]+"), r"\1[redacted]"),
    (re.compile(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"), "[redacted-jwt]"),
    (
        re.compile(r"(?i)([\"']?(?:password|secret|api_key|apikey|token)[\"']?\s*[:=]\s*)[\"']?[^\s,\"'}&]+[\"']?"),
        r"\1[redacted]",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
