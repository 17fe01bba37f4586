"""The Celery app. Tasks run in-process when no broker is configured (embedded mode)."""

import os

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("launchdeck")


@app.on_configure.connect
def _read_django_settings(**_):
    """A worker or beat with a bad environment value stops with one line naming it."""
    from django.conf import settings

    from config.env import exit_on_configuration_error

    with exit_on_configuration_error():
        settings.INSTALLED_APPS  # noqa: B018


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**_):
    """Workers and beat log through settings.LOGGING: request ids, redaction, JSON in production."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


# Carry the request id of the web request that enqueued a task into the worker's log lines.
@before_task_publish.connect
def _attach_request_id(headers=None, **_):
    from core.logging import get_request_id

    if headers is not None and "request_id" not in headers:
        headers["request_id"] = get_request_id()


@task_prerun.connect
def _restore_request_id(task=None, **_):
    from core.logging import get_request_id, set_request_id

    if task is None:
        return
    request = task.request
    if request.is_eager and get_request_id() != "-":
        # Run in-process by the caller (embedded mode): its request id still applies.
        return
    request.previous_request_id = get_request_id()
    set_request_id(getattr(request, "request_id", None) or f"task-{request.id}")


@task_postrun.connect
def _clear_request_id(task=None, **_):
    from core.logging import set_request_id

    previous = getattr(task.request, "previous_request_id", None) if task else None
    if previous is not None:
        set_request_id(previous)
