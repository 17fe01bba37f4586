"""Typed readers for environment variables.

Every setting that comes from the environment goes through one of these, so a bad
value stops start-up with a message naming the variable instead of failing later.
"""

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_UNSET = object()
# DRF's throttle rate syntax: a count per second, minute, hour or day.
_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: object = _UNSET) -> str | None:
    value = _raw(name)
    if value is None or value == "":
        if default is _UNSET:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = (_raw(name) or default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return value


def env_url(name: str, schemes: tuple[str, ...]) -> str | None:
    """A URL with one of `schemes`, or None when unset."""
    value = _raw(name)
    if not value:
        return None
    # The value is not repeated in these messages: URLs often carry a password.
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.hostname or parsed.path):
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}."
        )
    try:
        parsed.port  # noqa: B018 (raises on a port that is not a number in 0-65535)
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number from 0 to 65535.") from None
    return value


def env_rate(name: str, default: str) -> str:
    """A throttle rate like `60/min` (per s/sec/second, m/min/minute, h/hour, d/day)."""
    value = _raw(name) or default
    if not _RATE.match(value):
        raise ImproperlyConfigured(f"{name} must be a rate like 60/min or 1000/hour, got {value!r}.")
    return value


@contextmanager
def exit_on_configuration_error() -> Iterator[None]:
    """Stop a process that cannot configure itself with one readable line, not a traceback.

    Used where start-up reads the settings (manage.py, the ASGI app, the Celery app); the
    exit status 2 tells a supervisor that retrying will not help.
    """
    try:
        yield
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(2) from None
