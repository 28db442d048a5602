from __future__ import annotations

import logging
from datetime import datetime

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from accounts.token_errors import handle_token_error
from meta.errors import (
    ContainerNotReady,
    MetaError,
    PermissionMissing,
    PublishLimitReached,
    RateLimited,
    TokenInvalid,
    TransientError,
)
from publishing import callbacks, publisher, results
from publishing.models import Story

logger = logging.getLogger(__name__)
MAX_RETRIES = 5


def retry_delay(exc: MetaError, retries: int) -> float:
    """Seconds before the next try: Meta's own estimate for rate limits, short backoff otherwise."""
    if isinstance(exc, RateLimited):
        return exc.retry_after
    if isinstance(exc, PublishLimitReached):
        return 3600
    if isinstance(exc, ContainerNotReady):
        return 15
    return min(2**retries, 60)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def publish_story(self: Task, story_id: int) -> str:
    """Publish one queued story. Safe to run twice: the claim lets one run in, the stored steps resume."""
    story = Story.objects.claim(story_id)
    if story is None:
        return "not queued or already being published"
    outcome = _publish(self, story)
    announce(story)
    return outcome


def _publish(task: Task, story: Story) -> str:
    """Publish the claimed story: "published" or "failed" (marked on the story), or a retry raised."""
    try:
        publisher.publish(story)
    except (TransientError, RateLimited, ContainerNotReady, PublishLimitReached) as exc:
        if task.request.retries >= MAX_RETRIES:
            story.mark_failed(f"Meta: {exc}")
            return "failed"
        story.release()
        logger.info("story %s: %s; retrying", story.pk, type(exc).__name__)
        raise task.retry(exc=exc, countdown=retry_delay(exc, task.request.retries)) from exc
    except (TokenInvalid, PermissionMissing) as exc:
        credential = story.page_credential()
        if credential is not None:
            handle_token_error(credential, exc)
        story.mark_failed(f"Meta: {exc}. Reconnect the Page and retry.")
        return "failed"
    except MetaError as exc:
        story.mark_failed(f"Meta: {exc}")
        return "failed"
    except publisher.PublishingError as exc:
        story.mark_failed(str(exc))
        return "failed"
    except Exception:
        story.mark_failed("Unexpected error while publishing; the worker log has the details.")
        announce(story)
        raise
    return "published"


def announce(story: Story) -> None:
    """Tell the API client that queued the story how publishing ended, if it set a callback URL
    (after commit)."""
    if story.api_client_id is None:
        return
    story_id, status = story.pk, story.status
    transaction.on_commit(lambda: deliver_callback.delay(story_id, status))


@shared_task(acks_late=True)
def deliver_callback(story_id: int, status: int, attempt: int = 1, first_attempt_at: str | None = None) -> str:
    """POST the story to its client's callback URL; on failure, again with backoff for 24 hours."""
    story = Story.objects.select_related("api_client", "organization", "user").filter(pk=story_id).first()
    if story is None:
        return "story gone"
    started = datetime.fromisoformat(first_attempt_at) if first_attempt_at else timezone.now()
    record = callbacks.deliver(story, status, attempt)
    if record is None or record.delivered:
        return "no callback URL" if record is None else "delivered"
    if not callbacks.should_retry(started, attempt):
        return "gave up"
    deliver_callback.apply_async(
        (story_id, status, attempt + 1, started.isoformat()), countdown=callbacks.retry_delay(attempt)
    )
    return "will retry"


@shared_task
def collect_story_insights(story_id: int | None = None) -> int:
    """Every live story's results (the beat schedule), or one story's when its insights are read."""
    stories = results.live_stories()
    if story_id is not None:
        stories = stories.filter(pk=story_id)
    collected = 0
    for story in stories:
        try:
            collected += results.collect(story)
        except MetaError as exc:  # one story's failure does not stop the others
            logger.warning("story %s insights: %s", story.pk, exc)
    return collected
