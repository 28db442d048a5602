"""The webhooks queue: process stored deliveries, sweep up what the broker lost, fetch mentions."""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from collections import defaultdict
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Credential
from accounts.services import handle_token_error
from collector.models import Comment, CommentSource, Mention, Platform, Profile
from meta import mentions
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError
from webhooks import inbox
from webhooks.changes import Lookups, clean_text, storable
from webhooks.dispatch import dispatch
from webhooks.models import EventStatus, WebhookEvent
from webhooks.store import missed_by_webhooks

logger = logging.getLogger(__name__)
SWEEP_AFTER_SECONDS = 10
LAST_WEBHOOK_PRECISION = timedelta(seconds=1)
SWEEP_SECONDS = 45
SWEEP_REPEAT = timedelta(minutes=3)
# After a failed publish, stop trying for a while: the sweep will queue what piles up, and
# every request meanwhile is answered without waiting on a dead broker.
BROKER_PAUSE_SECONDS = 5.0
_broker_paused_until = 0.0
# Deliveries stored by one process within this window share one broker message.
FLUSH_SECONDS = 0.05
PUBLISH_CHUNK = 200


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


class Publisher:
    """Coalesces the deliveries this process stored into one `process_events` message per
    FLUSH_SECONDS, so a burst costs the broker (and the request) one publish per flush instead
    of one per delivery. Ids still in memory when the process dies are the sweep's to queue.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[int] = []
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, event_id: int) -> None:
        with self._lock:
            self._pending.append(event_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="webhooks-publisher", daemon=True)
                self._thread.start()
        self._ready.set()

    def flush(self) -> None:
        with self._lock:
            ids, self._pending = self._pending, []
            self._ready.clear()
        for start in range(0, len(ids), PUBLISH_CHUNK):
            enqueue(process_events, ids[start : start + PUBLISH_CHUNK])

    def _run(self) -> None:
        while True:
            self._ready.wait()
            time.sleep(FLUSH_SECONDS)
            self.flush()


publisher = Publisher()
# A forked child (gunicorn's workers) inherits neither the thread nor the parent's ids.
os.register_at_fork(after_in_child=publisher.reset)
atexit.register(publisher.flush)


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
@shared_task(acks_late=True, ignore_result=True)
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


@shared_task(acks_late=True, ignore_result=True)
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
    from collector import tasks as collector_tasks

    if cache.add(f"webhooks:sync-queued:{profile_id}", 1, timeout=60):
        enqueue(collector_tasks.sync_profile, profile_id)


@shared_task
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


@shared_task(acks_late=True, ignore_result=True)
def fetch_mention(mention_id: int) -> None:
    """What the profile was mentioned in, fetched with the profile's own credential."""
    mention = Mention.objects.select_related("profile__credential").filter(pk=mention_id).first()
    if mention is None or mention.profile.credential is None:
        return
    profile = mention.profile
    credential = profile.credential
    try:
        result = mentions.mentioned(
            credential.graph_client(), profile.meta_id, media_id=mention.media_id, comment_id=mention.comment_id
        )
    except (TokenInvalid, PermissionMissing) as exc:
        handle_token_error(credential, exc)
        return
    except MetaError as exc:
        logger.warning("mention %s could not be fetched: %s", mention_id, exc)
        return
    mention.raw = {**mention.raw, "fetched": result.body}
    mention.save(update_fields=["raw"])


@shared_task(ignore_result=True)
def check_webhooks_arriving() -> int:
    """Flag the Instagram profiles whose comment webhooks do not arrive, from direct evidence
    (every 30 minutes, from beat); collector then polls their comments every 15 minutes.

    The evidence is a comment that polling stored (source=poll, not deleted; the first backfill's
    comments are source=backfill and never count) since the previous
    check, that was made on Meta after the profile was connected (timestamp >= created_at: the
    history the first polls load never counts) and that had existed for more than WEBHOOK_GRACE
    when we first saw it: Meta delivers comment webhooks within seconds, so a webhook should have
    brought it and did not. One such comment flags the profile, even when others did arrive by
    webhook (partial delivery). A flagged profile is cleared by a check that finds comment
    webhooks arriving again (a webhook comment first seen since the previous check) and no new
    evidence; a check that finds neither leaves the flag as it is. The comments handler clears it
    sooner, the moment a webhook comment arrives that no later miss contradicts
    (webhooks.store.webhooks_arrive_again), so the pages never contradict a live comment.

    "Since the previous check" is Profile.webhooks_checked_at (before the first check, the
    connection time), so no state lives in the cache and a late run only widens its window.
    Returns how many profiles are flagged after the check.
    """
    now = timezone.now()
    profiles = Profile.objects.filter(platform=Platform.INSTAGRAM, credential__isnull=False)
    since_last_check = Q(
        first_seen_at__gte=Coalesce(OuterRef("webhooks_checked_at"), OuterRef("created_at")), first_seen_at__lt=now
    )
    missed = missed_by_webhooks(OuterRef("pk"), OuterRef("created_at")).filter(since_last_check)
    arrived = Comment.objects.filter(since_last_check, profile=OuterRef("pk"), source=CommentSource.WEBHOOK)
    rows = list(
        profiles.annotate(missed=Exists(missed), arrived=Exists(arrived)).values_list(
            "pk", "webhooks_missing", "missed", "arrived"
        )
    )
    flag = [pk for pk, flagged, missing, _ in rows if missing and not flagged]
    clear = [pk for pk, flagged, missing, arriving in rows if flagged and arriving and not missing]
    Profile.objects.filter(pk__in=flag).update(webhooks_missing=True)
    Profile.objects.filter(pk__in=clear).update(webhooks_missing=False)
    Profile.objects.filter(pk__in=[row[0] for row in rows]).update(webhooks_checked_at=now)
    return len({pk for pk, flagged, missing, _ in rows if flagged or missing} - set(clear))


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=3)
def sync_conversations(self: Task, profile_id: int, user_id: str = "") -> int:
    """Read an Instagram account's conversations (or only the one with `user_id`) from Meta."""
    profile = Profile.objects.select_related("credential").filter(pk=profile_id, platform=Platform.INSTAGRAM).first()
    credential = profile.credential if profile is not None else None
    if profile is None or credential is None or not credential.is_usable:
        return 0
    try:
        return inbox.sync_profile(profile, user_id=user_id)
    except TokenInvalid as exc:
        handle_token_error(credential, exc)
    except PermissionMissing as exc:
        # Messaging is one permission among several: its absence must not stop collection.
        logger.info("profile %s cannot read its conversations: %s", profile_id, exc)
    except (RateLimited, TransientError) as exc:
        raise self.retry(countdown=min(getattr(exc, "retry_after", 0) or 60, 900)) from exc
    except MetaError as exc:
        logger.warning("profile %s conversations could not be read: %s", profile_id, exc)
    return 0


@shared_task(ignore_result=True)
def sync_conversations_all() -> int:
    """Beat's: every connected Instagram account's conversations, in case a webhook was missed."""
    ids = list(
        Profile.objects.filter(platform=Platform.INSTAGRAM, credential__in=Credential.objects.usable()).values_list(
            "pk", flat=True
        )
    )
    for profile_id in ids:
        sync_conversations.delay(profile_id)
    return len(ids)
