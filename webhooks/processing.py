"""Stored deliveries handled by the webhooks queue, and the sweep that queues what the broker lost."""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from collector import tasks as collector_tasks
from collector.models import Profile
from webhooks.broker import enqueue
from webhooks.changes import Lookups, clean_text, storable
from webhooks.dispatch import dispatch
from webhooks.mention_fetch import fetch_mention
from webhooks.models import EventStatus, WebhookEvent

logger = logging.getLogger(__name__)
SWEEP_AFTER_SECONDS = 10
LAST_WEBHOOK_PRECISION = timedelta(seconds=1)
SWEEP_SECONDS = 45
SWEEP_REPEAT = timedelta(minutes=3)
PUBLISH_CHUNK = 200  # deliveries per process_events message


def _handle(events: list[WebhookEvent]) -> dict[int, str]:
    """Handle locked deliveries inside the caller's transaction; returns each one's new status.

    The results are written with one UPDATE per distinct outcome, so a burst of alike deliveries
    (the usual case) costs one statement, not one per delivery.
    """
    lookups = Lookups()
    now = timezone.now()
    touched: set[int] = set()
    outcomes: dict[tuple[str, int | None, str], list[int]] = defaultdict(list)
    for event in events:
        # Cleaned first: a NUL or a lone surrogate in one comment must not fail the whole delivery.
        batch, profile = dispatch(storable(event.payload()), lookups)
        for mention_id in batch.mentions_to_fetch:
            transaction.on_commit(lambda mention_id=mention_id: enqueue(fetch_mention, mention_id))
        for profile_id in batch.needs_sync:
            transaction.on_commit(lambda profile_id=profile_id: queue_profile_sync(profile_id))
        status = EventStatus.UNHANDLED if batch.unhandled else EventStatus.PROCESSED
        if batch.only_tests:
            status = EventStatus.TEST
        outcomes[(status, profile.pk if profile else None, json.dumps(batch.report()))].append(event.pk)
        touched |= batch.touched
    if touched:
        # At most one write a second per profile: a burst must not queue on its row lock.
        Profile.objects.filter(pk__in=touched).filter(
            Q(last_webhook_at__isnull=True) | Q(last_webhook_at__lt=now - LAST_WEBHOOK_PRECISION)
        ).update(last_webhook_at=now)
    for (status, profile_id, report), ids in outcomes.items():
        WebhookEvent.objects.filter(pk__in=ids).update(
            status=status,
            profile_id=profile_id,
            report=json.loads(report),
            processed_at=now,
            attempts=F("attempts") + 1,
            error="",
        )
    return {event_id: status for (status, _, _), ids in outcomes.items() for event_id in ids}


def _lock_unprocessed(event_ids: list[int]) -> list[WebhookEvent]:
    pending = [EventStatus.RECEIVED, EventStatus.FAILED]
    events = WebhookEvent.objects.select_for_update(skip_locked=True).filter(pk__in=event_ids, status__in=pending)
    return list(events.only("pk", "body").order_by("pk"))


# No result rows: the event's own status is the result, and bursts must stay cheap.
@shared_task(name="webhooks.tasks.process_events", acks_late=True, ignore_result=True)
def process_events(event_ids: list[int]) -> int:
    """Handle stored deliveries in one transaction: one lock query, one status update per
    outcome, and each profile and media read once for the run. If any delivery fails, the run is
    rolled back and each is handled on its own, so one bad delivery never holds back the others.
    """
    try:
        with transaction.atomic():
            return len(_handle(_lock_unprocessed(event_ids)))
    except Exception:
        logger.warning("a run of %s webhook events failed; handling them one by one", len(event_ids), exc_info=True)
        return sum(process_event(event_id) != "failed" for event_id in event_ids)


@shared_task(name="webhooks.tasks.process_event", acks_late=True, ignore_result=True)
def process_event(event_id: int) -> str:
    """Handle one stored delivery; safe to run twice (the second run finds it processed)."""
    try:
        with transaction.atomic():
            statuses = _handle(_lock_unprocessed([event_id]))
    except Exception as exc:
        logger.exception("webhook event %s failed", event_id)
        WebhookEvent.objects.filter(pk=event_id).update(
            status=EventStatus.FAILED,
            error=clean_text(f"{type(exc).__name__}: {exc}"[:2000]),
            attempts=F("attempts") + 1,
        )
        return "failed"
    return statuses.get(event_id, "skipped")


def queue_profile_sync(profile_id: int) -> None:
    """A partial sync of a profile a webhook showed us something new about, at most once a minute."""
    if cache.add(f"webhooks:sync-queued:{profile_id}", 1, timeout=60):
        enqueue(collector_tasks.sync_profile, profile_id)


@shared_task(name="webhooks.tasks.sweep_unprocessed")
def sweep_unprocessed() -> int:
    """Queue deliveries stored while the broker was away (run every minute by beat).

    Each is requeued at most once every three minutes, so a worker that is merely behind does
    not get its backlog doubled every minute. Stops early when the broker fails again.
    """
    now = timezone.now()
    due = WebhookEvent.objects.due_for_sweep(now - timedelta(seconds=SWEEP_AFTER_SECONDS), now - SWEEP_REPEAT)
    deadline = time.monotonic() + SWEEP_SECONDS
    queued = 0
    while time.monotonic() < deadline:
        ids = list(due.order_by("received_at").values_list("pk", flat=True)[:PUBLISH_CHUNK])
        if not ids:
            break
        # Marked before publishing: the UPDATE's row locks would otherwise make a worker that
        # takes the message at once skip these rows (SKIP LOCKED) until the next repeat.
        WebhookEvent.objects.filter(pk__in=ids).update(swept_at=now)
        if not enqueue(process_events, ids):
            WebhookEvent.objects.filter(pk__in=ids).update(swept_at=None)
            break
        queued += len(ids)
        if len(ids) < PUBLISH_CHUNK:
            break
    if queued:
        logger.info("sweep queued %s stored webhook deliveries", queued)
    return queued
