"""Celery discovers tasks in tasks.py: the webhooks queue's tasks live in the module of their job.

Each keeps its registered name `webhooks.tasks.<name>`, which the queue routes
(`CELERY_TASK_ROUTES`), beat's stored schedules and messages already queued all use.
- processing.py: stored deliveries handled, and the sweep of what the broker lost;
- mention_fetch.py: what a mention pointed at; arrival.py: whether comment webhooks arrive;
- conversation_sync.py: conversations read from Meta.
"""

from webhooks.arrival import check_webhooks_arriving
from webhooks.conversation_sync import sync_conversations, sync_conversations_all
from webhooks.mention_fetch import fetch_mention
from webhooks.processing import process_event, process_events, sweep_unprocessed

__all__ = [
    "check_webhooks_arriving",
    "fetch_mention",
    "process_event",
    "process_events",
    "sweep_unprocessed",
    "sync_conversations",
    "sync_conversations_all",
]
