from celery import shared_task

from core.idempotency import idempotency_purge_expired


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
