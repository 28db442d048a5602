"""Business Discovery visits (queue `collect`) and the tags collection.

Beat runs `visit_due` every hour: it queues a visit for each tracked account not visited yet this
UTC day, so each is snapshotted daily and a visit the broker lost is queued again within the hour
(the database, not the broker, says what is due). `tags_all` reads the tags edge of every
connected Instagram account (collector.runs.run_job: lock, run, governor, token errors).
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, time

from celery import Task, shared_task
from django.db.models import Q
from django.utils import timezone
from redis.exceptions import LockNotOwnedError

from accounts.token_errors import handle_token_error
from collector import collect as collector_collect
from collector import runs
from collector import tasks as collector_tasks
from collector.models import Platform, Profile, RunKind
from discovery import collect
from discovery.models import TrackedAccount, TrackedStatus
from meta.client import backoff_delay
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError
from meta.redact import redact

logger = logging.getLogger(__name__)
LOCK_TTL = 120
TRANSIENT_RETRIES = 5


def start_of_today() -> datetime:
    return datetime.combine(timezone.now().date(), time.min, tzinfo=timezone.get_current_timezone())


@shared_task(acks_late=True)
def visit_due() -> int:
    due = TrackedAccount.objects.active().exclude(status=TrackedStatus.CONNECTED)
    ids = list(due.filter(Q(visited_at__isnull=True) | Q(visited_at__lt=start_of_today())).values_list("pk", flat=True))
    for tracked_id in ids:
        visit_tracked.delay(tracked_id)
    return len(ids)


@shared_task(bind=True, acks_late=True, max_retries=None)
def visit_tracked(self: Task, tracked_id: int) -> str:
    tracked = TrackedAccount.objects.select_related("organization", "profile").filter(pk=tracked_id).first()
    if tracked is None or tracked.removed_at is not None:
        return "gone"
    connected = collect.connected_profile(tracked)
    if connected is not None:  # its own collection has more than Business Discovery gives
        collect.mark(tracked, TrackedStatus.CONNECTED, profile=connected)
        return TrackedStatus.CONNECTED
    caller = collect.caller_for(tracked.organization)
    if caller is None or caller.credential is None:
        collect.mark(tracked, TrackedStatus.NO_CALLER)
        return TrackedStatus.NO_CALLER
    lock = collector_collect.redis_client().lock(f"discovery:lock:tracked:{tracked_id}", timeout=LOCK_TTL)
    if not lock.acquire(blocking=False):
        raise self.retry(countdown=random.uniform(2, 6))
    try:
        return _visit(self, tracked, caller)
    finally:
        try:
            lock.release()
        except LockNotOwnedError:  # the visit outlived its lock: whoever holds it now keeps it
            logger.warning("visit of tracked account %s outlived its lock", tracked_id)


def _visit(task: Task, tracked: TrackedAccount, caller: Profile) -> str:
    credential = caller.credential
    assert credential is not None
    client = credential.graph_client(governor=runs.governor_for(caller))
    try:
        collect.visit(tracked, caller, client)
    except RateLimited as exc:
        collect.mark(tracked, TrackedStatus.PAUSED, str(exc), str(exc.code or ""), graph_calls=client.calls)
        raise task.retry(countdown=exc.retry_after + random.uniform(0, 1)) from exc
    except (TokenInvalid, PermissionMissing) as exc:
        handle_token_error(credential, exc)  # the caller's token: the person is told to reconnect it
        collect.mark(tracked, TrackedStatus.ERROR, redact(str(exc)), f"{exc.code}/{exc.subcode or ''}")
    except TransientError as exc:
        collect.mark(tracked, TrackedStatus.ERROR, str(exc), str(exc.code or ""))
        if task.request.retries < TRANSIENT_RETRIES:
            raise task.retry(countdown=5 + backoff_delay(task.request.retries, 5, 300)) from exc
    except MetaError as exc:
        collect.mark(tracked, TrackedStatus.ERROR, redact(str(exc)), f"{exc.code}/{exc.subcode or ''}")
    return TrackedAccount.objects.values_list("status", flat=True).get(pk=tracked.pk)


@shared_task(bind=True, acks_late=True, max_retries=None)
def collect_tags(self: Task, profile_id: int) -> str:
    return runs.run_job(self, profile_id, RunKind.TAGS, collect.collect_tags)


@shared_task(acks_late=True)
def tags_all() -> int:
    ids = list(
        Profile.objects.filter(credential__isnull=False, platform=Platform.INSTAGRAM).values_list("pk", flat=True)
    )
    for profile_id in ids:
        collect_tags.delay(profile_id)
    return len(ids)


# A tags run whose worker died is queued again by collector.stale_work, which looks its task up here.
collector_tasks.RUN_TASKS[RunKind.TAGS] = collect_tags
