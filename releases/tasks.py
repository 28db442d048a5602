"""The release build, in a worker: the page polls Release.progress_done while it runs."""

from __future__ import annotations

import logging

from celery import shared_task

from releases import build
from releases.models import Release, ReleaseStatus
from releases.tables import Scope

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def build_release(release_id: int) -> None:
    """Build the release once. A ready release is never rebuilt: its stored ZIP is the release.
    A worker lost mid-build leaves it BUILDING; the redelivered task starts it over."""
    release = Release.objects.select_related("organization").filter(pk=release_id).first()
    if release is None or release.status == ReleaseStatus.READY:
        return
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.BUILDING, error="", progress_done=0)
    release.status, release.progress_done = ReleaseStatus.BUILDING, 0
    try:
        build.build(release, Scope.of_release(release))
    except Exception as exc:
        logger.exception("release %s failed", release.version)
        Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.FAILED, error=str(exc)[:2000])
