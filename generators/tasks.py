import threading

from celery import shared_task

from core.tasks import background_thread
from generators.services import generation_run


@shared_task(acks_late=False)
def run_generation(generation_id: int) -> str:
    """Produce one generation (the browser path). Not redelivered on worker loss: a half-run
    generation is not resumable, and generation_run refuses to start one twice anyway."""
    return generation_run(generation_id).status


def run_generation_in_thread(generation_id: int) -> threading.Thread:
    """Run a generation in a thread of this process, for a client that holds a stream open
    (`?stream=true`): it tails the stored events while the run writes them."""
    return background_thread(generation_run, generation_id, name=f"generation-{generation_id}")
