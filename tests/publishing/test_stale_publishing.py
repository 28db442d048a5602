"""A story whose publishing worker died holding the claim is published by beat's re-queue
(collector.stale_work), not left "queued" for good."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from collector.stale_work import requeue_stale_work
from publishing.models import CLAIM_LEASE, Story, StoryStatus
from tests.publishing.test_publishing_worker import page_stories, settled, stored_story

pytestmark = pytest.mark.usefixtures("celery_worker", "transactional_db")


def test_a_story_claimed_by_a_dead_worker_is_published_once_its_lease_is_stale(
    sandbox: Any, sandbox_dealer: Any
) -> None:
    story = stored_story(sandbox_dealer)
    # The run that claimed it was killed: nothing in the broker, the claim older than the lease.
    Story.objects.filter(pk=story.pk).update(claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1))
    fresh = stored_story(sandbox_dealer)
    Story.objects.filter(pk=fresh.pk).update(claimed_at=timezone.now())  # a live run holds this one

    requeue_stale_work.delay()

    published = settled(story.pk, timeout=15)
    assert published.status == StoryStatus.PUBLISHED and published.error is None
    assert [s["post_id"] for s in page_stories(sandbox)] == [published.facebook_post_id]
    assert Story.objects.get(pk=fresh.pk).status == StoryStatus.QUEUED
