"""The Celery app. Tasks run in-process when no broker is configured (embedded mode)."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("launchdeck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Carry the request id of the web request that enqueued a task into the worker's log lines.
@before_task_publish.connect
def _attach_request_id(headers=None, **_):
    from core.logging import get_request_id

    if headers is not None and "request_id" not in headers:
        headers["request_id"] = get_request_id()


@task_prerun.connect
def _restore_request_id(task=None, **_):
    from core.logging import set_request_id

    request_id = getattr(task.request, "request_id", None) if task else None
    set_request_id(request_id or (f"task-{task.request.id}" if task and task.request.id else "-"))


@task_postrun.connect
def _clear_request_id(**_):
    from core.logging import set_request_id

    set_request_id("-")
