"""A build whose worker was killed (SIGKILL mid-build: the release is left building, silent) is
found in the database and built again by the re-queue beat runs; a live build is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, ReleaseStatus
from releases.tasks import build_release, requeue_stale_builds
from tests.collector.test_killed_worker import _kill_with_children
from tests.conftest import start_worker, stop_worker, worker_environment
from tests.releases.builders import Lab, period, release_lab
from tests.waiting import wait_for


def left_building(lab: Lab, silent_for: timedelta) -> Release:
    """A release as a worker killed mid-build leaves it: building, some rows counted, no more beats."""
    window = period()
    release = Release.objects.create_numbered(lab.organization, start=window.start, end=window.end)
    release.profiles.set(lab.profiles)
    Release.objects.filter(pk=release.pk).update(
        status=ReleaseStatus.BUILDING, progress_done=40, progress_total=300, heartbeat_at=timezone.now() - silent_for
    )
    return Release.objects.get(pk=release.pk)


def test_a_build_killed_mid_way_is_found_and_built_again_by_a_new_worker(
    client: Client, transactional_db: None, no_suite_worker: None, settings: Any
) -> None:
    settings.RELEASE_STALE_SECONDS = 3  # what the page calls stale; the workers get the same
    # Chunks of 500 rows: a build of some 5,000 rows has ten, and is killed after its first.
    settings.RELEASE_CHUNK_ROWS = 500
    environment = worker_environment(settings, RELEASE_STALE_SECONDS="3", RELEASE_CHUNK_ROWS="500")
    lab = release_lab(media=300, comments_per_media=4)
    window = period()
    release = Release.objects.create_numbered(lab.organization, start=window.start, end=window.end)
    release.profiles.set(lab.profiles)
    client.force_login(lab.user)
    progress = reverse("releases:progress", args=[lab.organization.pk, release.pk])

    first = start_worker(settings, "--concurrency", "1", name="release-killed", env=environment)
    build_release.delay(release.pk)
    first_chunk = settings.RELEASE_CHUNK_ROWS
    wait_for(lambda: Release.objects.get(pk=release.pk).progress_done >= first_chunk, 120, "the first chunk written")
    _kill_with_children(first)
    killed = Release.objects.get(pk=release.pk)
    assert killed.status == ReleaseStatus.BUILDING and killed.progress_done < killed.progress_total

    wait_for(lambda: client.get(progress).json()["interrupted"], 30, "the build called interrupted")
    second = start_worker(settings, "--concurrency", "1", name="release-resumed", env=environment)
    try:
        assert requeue_stale_builds() == 1  # what beat runs every minute
        wait_for(lambda: Release.objects.get(pk=release.pk).status == ReleaseStatus.READY, 180, "the rebuilt release")
    finally:
        stop_worker(second)
    body = client.get(progress).json()
    assert (body["interrupted"], body["percent"], body["done"]) == (False, 100, body["total"])
    assert requeue_stale_builds() == 0


@pytest.mark.django_db
def test_a_build_that_still_beats_is_neither_requeued_nor_taken_twice() -> None:
    lab = release_lab(media=5, comments_per_media=1)
    release = left_building(lab, silent_for=timedelta(seconds=5))

    assert requeue_stale_builds() == 0
    build_release(release.pk)  # a duplicate of its task message
    release.refresh_from_db()
    assert (release.status, release.progress_done, release.file.name) == (ReleaseStatus.BUILDING, 40, "")
