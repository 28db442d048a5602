from collections.abc import Callable

from django.http import HttpRequest

from socialdatalab import health


def background_work(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Whether no Celery worker has beaten lately: collection, replies and publishing then wait.
    A callable, so only pages that show the banner read the heartbeat."""
    return {"background_work_stalled": lambda: not health.check_worker()[0]}
