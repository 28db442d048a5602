"""One collection run: the profile's Redis lock, the CollectionRun row and its heartbeat, the
governed client, and what each Meta error makes of the run (collector.tasks' tasks all run here).

Every run: takes the profile's Redis lock (another worker already on it -> retry shortly),
records a CollectionRun, calls Meta through a client governed by meta.ratelimit, and on
- RateLimited: marks the profile paused and retries when Meta said access returns, or, when our
  own hourly call budget refused the call (BudgetExhausted), budget_spent until it has room again;
- TokenInvalid / PermissionMissing: accounts.token_errors.handle_token_error flags the credential
  needs_reconnect, and the work stops (no retry);
- TransientError: retries with exponential backoff.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from redis.exceptions import LockNotOwnedError, RedisError
from redis.lock import Lock

from accounts.models import Credential
from accounts.token_errors import handle_token_error
from collector import collect
from collector.gaps import CLOSED_BY_A_RUN, DataGap, GapReason
from collector.models import CollectionRun, CollectionStatus, Profile, RunKind, RunOutcome
from meta.client import backoff_delay
from meta.conf import MetaConfig
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError
from meta.ratelimit import BudgetExhausted, RedisGovernor
from meta.redact import redact

logger = logging.getLogger(__name__)
# Short, and extended at every heartbeat: a killed worker's lock lapses within a minute (or sooner:
# collector.stale_work frees the lock of a run it finds dead), so the re-queued run is not kept
# waiting behind a dead owner.
LOCK_TTL = 60
BEAT_EVERY = LOCK_TTL / 4  # the heartbeat thread's period (and each chunk of media beats too)
LOCK_BUSY_RETRY = (2.0, 6.0)
TRANSIENT_RETRIES = 5


def lock_key(profile_id: int) -> str:
    return f"collector:lock:profile:{profile_id}"


def governor_for(profile: Profile) -> RedisGovernor:
    config = MetaConfig.from_settings()
    credential = profile.credential
    app = config.instagram_app_id if credential is not None and credential.is_instagram_login else config.app_id
    return RedisGovernor(
        collect.redis_client(),
        account=profile.meta_id,
        app=app,
        budget=settings.META_HOURLY_CALL_BUDGET,
        window=settings.META_BUDGET_WINDOW_SECONDS,
        default_pause=settings.META_RATE_LIMIT_PAUSE_SECONDS,
    )


def run_job(task: Task, profile_id: int, kind: RunKind, work: Callable[[collect.Job], None]) -> str:
    profile = Profile.objects.select_related("credential").filter(pk=profile_id).first()
    if profile is None:
        return "gone"
    credential = profile.credential
    if credential is None or not credential.is_usable:
        return _no_usable_credential(profile_id, credential)
    # thread_local=False: the heartbeat thread extends the lock this thread took.
    lock = collect.redis_client().lock(lock_key(profile_id), timeout=LOCK_TTL, thread_local=False)
    token = uuid.uuid4().hex
    if not lock.acquire(blocking=False, token=token):
        raise task.retry(countdown=random.uniform(*LOCK_BUSY_RETRY))
    run = CollectionRun.objects.create(
        profile=profile,
        kind=kind,
        worker=f"{task.request.hostname or ''} pid {os.getpid()}",
        heartbeat_at=timezone.now(),
        lock_token=token,
    )
    governor = governor_for(profile)
    client = credential.graph_client(governor=governor)
    Profile.objects.filter(pk=profile_id).update(collection_status=CollectionStatus.RUNNING)
    heartbeat = Heartbeat(lock, run.pk)
    job = collect.Job(profile=profile, client=client, heartbeat=heartbeat.beat)
    status, outcome, error, retry_in = CollectionStatus.IDLE, RunOutcome.OK, "", None
    try:
        with heartbeat:
            work(job)
    except (RateLimited, TokenInvalid, PermissionMissing, TransientError) as exc:
        status, outcome, error, retry_in = _after_meta_error(task, exc, credential, governor)
        _record_gap(profile_id, exc, outcome, error)
    except Exception as exc:
        status, outcome, error = CollectionStatus.FAILED, RunOutcome.FAILED, f"{type(exc).__name__}: {exc}"
        if Profile.objects.filter(pk=profile_id).exists():
            raise
        # Disconnected with its data deleted while we collected: nothing to keep, nothing to retry.
        logger.info("%s of profile %s stopped: the profile was deleted meanwhile", kind, profile_id)
        return "gone"
    finally:
        run.graph_calls, run.items_upserted, run.outcome, run.error = client.calls, job.upserted, outcome, error
        _finish(run, lock, status, retry_in)
    if outcome == RunOutcome.OK:
        DataGap.objects.end(profile_id, *CLOSED_BY_A_RUN, at=run.finished_at)
    if retry_in is not None:
        logger.info("%s of profile %s postponed %.0fs: %s", kind, profile_id, retry_in, error)
        raise task.retry(countdown=retry_in + random.uniform(0, 1))
    return outcome


def _after_meta_error(
    task: Task, exc: MetaError, credential: Credential, governor: RedisGovernor
) -> tuple[str, str, str, float | None]:
    """What a Meta error makes of the run: (profile status, run outcome, error, retry in seconds)."""
    if isinstance(exc, BudgetExhausted):
        # Our own hourly budget, not Meta: the page must not blame Meta for it.
        return CollectionStatus.BUDGET_SPENT, RunOutcome.RETRY, str(exc), exc.retry_after
    if isinstance(exc, RateLimited):
        # The governor holds the pause Meta asked for (or our default when Meta named none).
        return CollectionStatus.PAUSED, RunOutcome.RETRY, str(exc), governor.paused_for() or exc.retry_after
    if isinstance(exc, (TokenInvalid, PermissionMissing)):
        # The accounts room decides what a dead token means for the credential (and tells the
        # person); every later job sees an unusable credential and makes no call.
        handle_token_error(credential, exc)
        if Credential.objects.usable().filter(pk=credential.pk).exists():
            # The token failed after the credential got a new one (a reconnect meanwhile, seed_demo
            # after a restart): the next try uses the new token.
            return CollectionStatus.QUEUED, RunOutcome.RETRY, redact(str(exc)), random.uniform(*LOCK_BUSY_RETRY)
        return CollectionStatus.NEEDS_RECONNECT, RunOutcome.NEEDS_RECONNECT, redact(str(exc)), None
    if task.request.retries < TRANSIENT_RETRIES:
        return CollectionStatus.QUEUED, RunOutcome.RETRY, str(exc), 5 + backoff_delay(task.request.retries, 5, 300)
    return CollectionStatus.FAILED, RunOutcome.FAILED, str(exc), None


def _no_usable_credential(profile_id: int, credential: Credential | None) -> str:
    Profile.objects.filter(pk=profile_id).update(collection_status=CollectionStatus.NEEDS_RECONNECT)
    # Found dead elsewhere (the daily check, a deauthorize): the ledger learns it here.
    said = credential.last_error if credential is not None else ""
    DataGap.objects.begin(profile_id, _token_gap(said), said)
    return "no usable credential"


def _record_gap(profile_id: int, exc: MetaError, outcome: str, error: str) -> None:
    """The ledger's side of a Meta error: a rate-limit pause, or a token that is dead for good."""
    if isinstance(exc, RateLimited):
        reason = GapReason.CALL_BUDGET if isinstance(exc, BudgetExhausted) else GapReason.RATE_LIMITED
        DataGap.objects.begin(profile_id, reason, error)
    elif outcome == RunOutcome.NEEDS_RECONNECT:
        DataGap.objects.begin(profile_id, _token_gap(str(exc), exc), error)


def _token_gap(message: str, exc: Exception | None = None) -> GapReason:
    """Meta's 190/463 ("Session has expired") is an expiry; anything else a revoked or removed grant."""
    expired = getattr(exc, "subcode", None) == 463 or "expired" in message.lower()
    return GapReason.TOKEN_EXPIRED if expired else GapReason.TOKEN_REVOKED


def _finish(run: CollectionRun, lock: Lock, status: str, retry_in: float | None) -> None:
    """Write the run's end and the profile's state, and give the profile's lock back."""
    profile_id, kind = run.profile_id, run.kind
    run.finished_at = timezone.now()
    try:
        # update_fields: an UPDATE only (a plain save() would insert a run deleted with its
        # profile meanwhile); post_save still tells insights to rebuild its aggregates.
        run.save(update_fields=["finished_at", "graph_calls", "items_upserted", "outcome", "error"])
    except DatabaseError:
        if CollectionRun.objects.filter(pk=run.pk).exists():
            raise
    next_retry = timezone.now() + timedelta(seconds=retry_in) if retry_in is not None else None
    Profile.objects.filter(pk=profile_id).update(
        collection_status=status, last_error=run.error, next_retry_at=next_retry
    )
    try:
        lock.release()
    except LockNotOwnedError:  # it lapsed (a stalled run): whoever holds it now keeps it
        logger.warning("%s of profile %s outlived its lock", kind, profile_id)


class Heartbeat:
    """While a run works, a thread says so every BEAT_EVERY seconds: it extends the profile's lock
    and stamps CollectionRun.heartbeat_at, whatever the job is doing (a long Graph call, a batch).
    A killed worker stops beating; collector.stale_work then re-queues the run."""

    def __init__(self, lock: Lock, run_id: int) -> None:
        self.lock, self.run_id = lock, run_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-run-{run_id}", daemon=True)

    def beat(self) -> None:
        self.lock.extend(LOCK_TTL, replace_ttl=True)
        CollectionRun.objects.filter(pk=self.run_id).update(heartbeat_at=timezone.now())

    def _loop(self) -> None:
        try:
            while not self._stop.wait(BEAT_EVERY):
                try:
                    self.beat()
                except (RedisError, DatabaseError):  # a blip: the next beat, or the chunk's, retries
                    logger.warning("heartbeat of run %s missed", self.run_id, exc_info=True)
        finally:
            connection.close()  # this thread's own database connection

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def release_lock_of(run: CollectionRun) -> bool:
    """Free the profile's lock if this run still holds it (its worker is gone): the re-queued
    run starts at once instead of waiting out the TTL. Another run's lock is left alone."""
    lock = collect.redis_client().lock(lock_key(run.profile_id), thread_local=False)
    lock.local.token = run.lock_token.encode()
    try:
        lock.release()
    except LockNotOwnedError:
        return False
    return True
