from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from socialdatalab import health


def background_work(request: HttpRequest) -> dict[str, object]:
    """Whether a Celery worker beats: collection, replies and publishing wait while none does.
    Lazy, so only pages that show a worker state read the heartbeat, and at most once."""
    worker = SimpleLazyObject(health.worker_state)
    return {"worker_state": worker, "background_work_stalled": lambda: not worker.up}
