"""The release build, in a worker: the page polls Release.progress_done while it runs."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from releases import build
from releases.models import Release, ReleaseStatus
from releases.tables import Scope

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def build_release(release_id: int) -> None:
    """Build the release once. A ready release is never rebuilt: its stored ZIP is the release.
    A worker lost mid-build leaves it BUILDING and silent; requeue_stale_builds starts it over."""
    if not Release.objects.claim(release_id):
        return
    release = Release.objects.select_related("organization").get(pk=release_id)
    try:
        build.build(release, Scope.of_release(release))
    except Exception as exc:
        logger.exception("release %s failed", release.version)
        Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.FAILED, error=str(exc)[:2000])


@shared_task
def requeue_stale_builds() -> int:
    """Beat, every minute: queue again each build that no worker is doing (its worker was killed,
    or the broker lost the message). Marked queued first, so it is re-queued at most every
    RELEASE_STALE_SECONDS while no worker runs, and a late duplicate of the task finds it claimed."""
    stale = list(Release.objects.stale().values_list("pk", flat=True))
    for pk in stale:
        Release.objects.filter(pk=pk).update(status=ReleaseStatus.QUEUED, heartbeat_at=timezone.now())
        build_release.delay(pk)
    return len(stale)
