"""Work a killed worker left undone, found in the database and queued again (beat, every minute).

The broker is not the record of pending work: a message a SIGKILLed worker held stays unacked in
Redis for `visibility_timeout` (an hour), and is gone if Redis restarts without persistence. The
rows are the record:
- a CollectionRun still `running` whose heartbeat (every 15 s) stopped: its task is queued
  again and the run marked interrupted; a backfill resumes from Profile.backfill_after;
- a Story still queued whose publishing claim outlived its lease (publishing.models.CLAIM_LEASE);
- a comment action or message reply still pending after every retry it could have had.
Each task is safe to run twice (the per-profile lock, the story claim, the pending check), so the
message the broker redelivers an hour later repeats harmlessly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from collector import collect
from collector.gaps import DataGap, GapReason
from collector.models import CollectionRun, CollectionStatus, Profile, RunOutcome
from insights.models import ActionStatus, CommentAction, MessageReply
from insights.tasks import MAX_RETRY_DELAY, perform_comment_action, send_message_reply
from publishing.models import CLAIM_LEASE, Story, StoryStatus
from publishing.tasks import publish_story

logger = logging.getLogger(__name__)
# A request still pending this long has outlived its five retries at the longest delay.
MODERATION_STALE = timedelta(seconds=6 * MAX_RETRY_DELAY)


@shared_task(acks_late=True)
def requeue_stale_work() -> dict[str, int]:
    return {"runs": requeue_stale_runs(), "stories": requeue_stale_stories(), "moderation": requeue_stale_moderation()}


def requeue_stale_runs() -> int:
    from collector.runs import release_lock_of
    from collector.tasks import RUN_TASKS  # the collector's whole stack

    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.COLLECTOR_STALE_RUN_SECONDS)
    stale = CollectionRun.objects.filter(outcome=RunOutcome.RUNNING, heartbeat_at__lt=cutoff)
    requeued = 0
    for run in stale.only("pk", "profile_id", "kind", "lock_token", "heartbeat_at"):
        # Conditional: of two beat runs at once, one re-queues.
        if not CollectionRun.objects.filter(pk=run.pk, outcome=RunOutcome.RUNNING).update(
            outcome=RunOutcome.INTERRUPTED, finished_at=now, error="worker lost (no heartbeat); queued again"
        ):
            continue
        Profile.objects.filter(pk=run.profile_id).update(collection_status=CollectionStatus.QUEUED)
        # Nothing was collected from the run's last beat until a run completes again.
        DataGap.objects.begin(run.profile_id, GapReason.WORKER_DOWN, f"{run.kind} run {run.pk}", since=run.heartbeat_at)
        if run.lock_token:
            release_lock_of(run)
        RUN_TASKS[run.kind].delay(run.profile_id)
        logger.warning("%s of profile %s lost its worker: queued again", run.kind, run.profile_id)
        requeued += 1
    return requeued


def requeue_stale_stories() -> int:
    """Stories whose publishing run died holding the claim (publish_story's claim takes them back)."""
    ids = list(
        Story.objects.filter(status=StoryStatus.QUEUED, claimed_at__lt=timezone.now() - CLAIM_LEASE).values_list(
            "pk", flat=True
        )
    )
    for story_id in ids:
        publish_story.delay(story_id)
    return len(ids)


def requeue_stale_moderation() -> int:
    """Pending comment actions and replies past every retry: their message was lost. One re-queue
    per MODERATION_STALE (a Redis mark), so a slow queue is not fed the same request every minute."""
    store = collect.redis_client()
    cutoff = timezone.now() - MODERATION_STALE
    requeued = 0
    for model, task in ((CommentAction, perform_comment_action), (MessageReply, send_message_reply)):
        pending = model.objects.filter(status=ActionStatus.PENDING, created_at__lt=cutoff)
        for pk, created_at in pending.values_list("pk", "created_at"):
            mark = f"stale_work:{model._meta.label_lower}:{pk}:{created_at.timestamp()}"
            if store.set(mark, 1, nx=True, ex=int(MODERATION_STALE.total_seconds())):
                task.delay(pk)
                requeued += 1
    return requeued
