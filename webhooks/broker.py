"""Publishing to the broker from webhooks, with a breaker: after a failed publish, stop trying for a while.

The sweep (webhooks.processing.sweep_unprocessed) queues what piles up meanwhile, and every
request in between is answered without waiting on a dead broker.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task

logger = logging.getLogger(__name__)
BROKER_PAUSE_SECONDS = 5.0
_broker_paused_until = 0.0


def enqueue(task: Task, *args: Any) -> bool:
    """Queue a task, or log and return False when the broker cannot take it."""
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        return False
    try:
        task.apply_async(args, retry=False)
    except Exception:  # the broker's failures come in many types (kombu, redis, socket)
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("broker unavailable: %s%s left for the sweep", task.name, args, exc_info=True)
        return False
    return True
