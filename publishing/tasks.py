from __future__ import annotations

import logging

from celery import Task, shared_task

from accounts.services import handle_token_error
from meta.errors import (
    ContainerNotReady,
    MetaError,
    PermissionMissing,
    PublishLimitReached,
    RateLimited,
    TokenInvalid,
    TransientError,
)
from publishing import publisher
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
    try:
        publisher.publish(story)
    except (TransientError, RateLimited, ContainerNotReady, PublishLimitReached) as exc:
        if self.request.retries >= MAX_RETRIES:
            story.mark_failed(f"Meta: {exc}")
            return "failed"
        story.release()
        logger.info("story %s: %s; retrying", story_id, type(exc).__name__)
        raise self.retry(exc=exc, countdown=retry_delay(exc, self.request.retries)) from exc
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
        raise
    return "published"
