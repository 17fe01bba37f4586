"""Request ids in every log line, and secrets kept out of the logs."""

import logging
import re
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def get_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> None:
    _request_id.set(value)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx/5xx response ("Not Found: /x") after the middleware chain
            # has returned; the request it passes along still knows its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or get_request_id()
        return True


# What a secret looks like in a message: our API keys, bearer tokens and JWTs, passwords in
# URLs, and `password=...`/`"password": "..."` pairs. Replaced before any handler writes the
# record.
_SECRET_PATTERNS = [
    (re.compile(r"ld_[A-Za-z0-9]{8}_[A-Za-z0-9_\-]{20,}"), "ld_[redacted]"),
    (re.compile(r"(?i)(bearer\s+)(?!\[redacted|ld_\[redacted)[A-Za-z0-9._~+/=\-]+"), r"\1[redacted]"),
    (re.compile(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"), "[redacted-jwt]"),
    (re.compile(r"(://[^:/@\s]*:)[^@/\s]+@"), r"\1[redacted]@"),
    (
        re.compile(
            r"(?i)([\"']?(?:password|passwd|secret|secret_key|api_key|apikey|token)[\"']?\s*[:=]\s*)"
            r"(?:\"[^\"]*\"|'[^']*'|[^\s,;&}\"']+)"
        ),
        r"\1[redacted]",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Redacts the message (arguments included) and the text of a logged exception."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            cleaned = redact(record.exc_text)
            if cleaned != record.exc_text:
                # Formatters render exc_info afresh when it is set; keep only the clean text.
                record.exc_text, record.exc_info = cleaned, None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line. Django's `request` extra is left out: its repr carries the
    query string, which is not redacted and may hold a token."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)
