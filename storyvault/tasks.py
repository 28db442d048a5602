"""Vault tasks (queue `collect`): the 5-minute tend (beat "vault: keep stories"), file downloads
and the pre-expiry reading. Each takes an id, never a token."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from collector import stories as collector_stories
from collector.models import RunKind
from collector.runs import run_job
from storyvault import files
from storyvault.models import FileState, StoryKeep


@shared_task(acks_late=True)
def tend_vault() -> dict[str, int]:
    """Every story collected gets its vault entry and its file download; every story in its last
    half hour gets its pre-expiry reading."""
    created = files.keep_new_stories()
    files.retry_when_room()
    pending = list(StoryKeep.objects.filter(file_state=FileState.PENDING).values_list("pk", flat=True))
    for keep_id in pending:
        download_story_file.delay(keep_id)
    expiring = collector_stories.expiring_profiles(timezone.now())
    for profile_id in expiring:
        story_pre_expiry.delay(profile_id)
    return {"created": created, "downloads": len(pending), "pre_expiry": len(expiring)}


@shared_task(acks_late=True)
def download_story_file(keep_id: int) -> str:
    return files.store(keep_id)


@shared_task(bind=True, acks_late=True, max_retries=None)
def story_pre_expiry(self: Task, profile_id: int) -> str:
    """The last reading of the profile's stories about to expire (collector.stories.pre_expiry)."""
    return run_job(self, profile_id, RunKind.STORIES, collector_stories.pre_expiry)
