"""Collection tasks (queue `collect`). Each takes a profile id, never a token.

Every task is one run of collector.runs.run_job (the lock, the run row, its heartbeat, and what a
Meta error makes of it). They are idempotent (the pipeline writes only what changed), so a
redelivered message (acks_late) repeats harmlessly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from collector import account_insights, audience, collect, comment_polling, media_insights, stories
from collector.models import CollectionRun, Profile, RunKind, RunOutcome
from collector.runs import run_job

logger = logging.getLogger(__name__)
POLL_EVERY = timedelta(hours=1)  # comment polling of a profile whose webhooks arrive


@shared_task(bind=True, acks_late=True, max_retries=None)
def backfill_profile(self: Task, profile_id: int) -> str:
    """Collect a profile's whole history: every media with insights (and the newest comments),
    then the account history (queued first: a worker taking tasks in order has the growth
    chart done when the stories are) and the live stories."""
    outcome = run_job(self, profile_id, RunKind.BACKFILL, collect.backfill)
    if outcome == RunOutcome.OK:
        account_history.delay(profile_id)
        collect_stories.delay(profile_id)
    return outcome


@shared_task(bind=True, acks_late=True, max_retries=None)
def sync_profile(self: Task, profile_id: int) -> str:
    return run_job(self, profile_id, RunKind.SYNC, collect.sync)


@shared_task(bind=True, acks_late=True, max_retries=None)
def collect_stories(self: Task, profile_id: int) -> str:
    return run_job(self, profile_id, RunKind.STORIES, stories.collect_stories)


@shared_task(bind=True, acks_late=True, max_retries=None)
def refresh_deep_insights(self: Task, profile_id: int) -> str:
    return run_job(self, profile_id, RunKind.INSIGHTS, media_insights.deep_insights)


@shared_task(bind=True, acks_late=True, max_retries=None)
def snapshot_profile(self: Task, profile_id: int) -> str:
    return run_job(self, profile_id, RunKind.SNAPSHOT, account_insights.snapshot)


@shared_task(bind=True, acks_late=True, max_retries=None)
def account_history(self: Task, profile_id: int) -> str:
    """Today's snapshot and the past days Meta still has (account_insights.account_history)."""
    return run_job(self, profile_id, RunKind.HISTORY, account_insights.account_history)


@shared_task(bind=True, acks_late=True, max_retries=None)
def poll_comments(self: Task, profile_id: int) -> str:
    return run_job(self, profile_id, RunKind.COMMENTS, comment_polling.poll_comments)


@shared_task(bind=True, acks_late=True, max_retries=None)
def collect_audience(self: Task, profile_id: int) -> str:
    return run_job(self, profile_id, RunKind.AUDIENCE, audience.collect_audience)


# -- fan-out tasks run by celery beat (schedules: migration 0004) -------------------------
def _collectable() -> list[int]:
    return list(Profile.objects.filter(credential__isnull=False).values_list("pk", flat=True))


@shared_task(acks_late=True)
def sync_all() -> int:
    ids = _collectable()
    for profile_id in ids:
        sync_profile.delay(profile_id)
    return len(ids)


@shared_task(acks_late=True)
def stories_all() -> int:
    ids = list(Profile.objects.filter(credential__isnull=False, platform="instagram").values_list("pk", flat=True))
    for profile_id in ids:
        collect_stories.delay(profile_id)
    return len(ids)


@shared_task(acks_late=True)
def deep_insights_all() -> int:
    ids = list(Profile.objects.filter(credential__isnull=False, platform="instagram").values_list("pk", flat=True))
    for profile_id in ids:
        refresh_deep_insights.delay(profile_id)
    return len(ids)


@shared_task(acks_late=True)
def snapshot_all() -> int:
    ids = _collectable()
    for profile_id in ids:
        snapshot_profile.delay(profile_id)
    return len(ids)


@shared_task(acks_late=True)
def audience_all() -> int:
    """Daily (beat): Meta's demographics are a "this month" figure that changes once a day at most."""
    ids = list(Profile.objects.filter(credential__isnull=False, platform="instagram").values_list("pk", flat=True))
    for profile_id in ids:
        collect_audience.delay(profile_id)
    return len(ids)


@shared_task(acks_late=True)
def poll_comments_all() -> int:
    """Queue comment polls (beat, every 15 minutes): profiles whose comment webhooks are missing
    every time, the others when their last poll is POLL_EVERY old (see comment_polling.poll_comments)."""
    polled_lately = CollectionRun.objects.filter(
        profile=OuterRef("pk"), kind=RunKind.COMMENTS, started_at__gte=timezone.now() - POLL_EVERY
    )
    ids = list(
        Profile.objects.filter(credential__isnull=False, platform="instagram")
        .filter(Q(webhooks_missing=True) | ~Exists(polled_lately))
        .values_list("pk", flat=True)
    )
    for profile_id in ids:
        poll_comments.delay(profile_id)
    return len(ids)


# What a run of each kind re-queues when its worker died under it (collector.stale_work).
RUN_TASKS: dict[str, Task] = {
    RunKind.BACKFILL: backfill_profile,
    RunKind.SYNC: sync_profile,
    RunKind.STORIES: collect_stories,
    RunKind.INSIGHTS: refresh_deep_insights,
    RunKind.SNAPSHOT: snapshot_profile,
    RunKind.HISTORY: account_history,
    RunKind.COMMENTS: poll_comments,
    RunKind.AUDIENCE: collect_audience,
}
