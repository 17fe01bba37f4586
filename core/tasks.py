import logging
import threading

from asgiref.sync import SyncToAsync
from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connections, transaction

from core.idempotency import idempotency_purge_expired

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Run `task(*args)` in the background once the current transaction commits.

    With a broker this is `task.delay`. Without one (embedded mode) Celery runs tasks eagerly,
    inside the caller: a page that enqueues a long task would not answer until it finished.
    There, `LAUNCHDECK_INPROCESS_TASKS = "thread"` (the embedded default) runs the task in a
    background thread of this process instead; "eager" (tests) keeps running it inline.
    """
    transaction.on_commit(lambda: _send(task, args))


def _send(task, args: tuple) -> None:
    if task.app.conf.task_always_eager and settings.LAUNCHDECK_INPROCESS_TASKS == "thread":
        background_thread(_apply, task, args, name=f"task-{task.name}")
    else:
        task.delay(*args)


def _apply(task, args: tuple) -> None:
    result = task.apply(args=args, throw=False)
    if result.failed():
        logger.error("background task %s failed:\n%s", task.name, result.traceback)


def background_thread(target, *args, name: str) -> threading.Thread:
    """Start `target(*args)` in a daemon thread that may publish realtime events.

    Started from a request (sync code under the ASGI server's event loop), the thread is told
    about that loop, so core.events.publish schedules its sends on it: the in-memory channel
    layer of the embedded mode is only safe to use from the loop its sockets listen on.
    (asgiref reads the loop from this thread-local in async_to_sync.)
    """
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    loop_pid = getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None)

    def run():
        if loop is not None:
            SyncToAsync.threadlocal.main_event_loop = loop
            SyncToAsync.threadlocal.main_event_loop_pid = loop_pid
        close_old_connections()
        try:
            target(*args)
        except Exception:
            logger.exception("background thread %s failed", name)
        finally:
            connections.close_all()  # this thread's connections would otherwise stay open

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


@shared_task
def purge_idempotency_keys() -> int:
    return idempotency_purge_expired()


@shared_task
def deliver_pong(workspace_id: int, ping_id: str, request_id: str) -> str:
    """The worker half of the diagnostics round trip: API → broker → worker → websocket."""
    import socket

    from core.events import publish, workspace_group

    publish(
        workspace_group(workspace_id),
        "diagnostics.pong",
        {"ping_id": ping_id, "worker": socket.gethostname(), "request_id": request_id},
    )
    return ping_id
