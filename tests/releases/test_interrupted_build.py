"""A build whose worker was lost (killed mid-build: the release is left building, silent) is
found in the database and built again by the re-queue beat runs; a live build is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, ReleaseStatus
from releases.tasks import build_release, requeue_stale_builds
from tests.insights.conftest import wait_for
from tests.releases.builders import Lab, period, release_lab


def left_building(lab: Lab, silent_for: timedelta) -> Release:
    """A release as a worker killed mid-build leaves it: building, some rows counted, no more beats."""
    window = period()
    release = Release.objects.create_numbered(lab.organization, start=window.start, end=window.end)
    release.profiles.set(lab.profiles)
    Release.objects.filter(pk=release.pk).update(
        status=ReleaseStatus.BUILDING, progress_done=40, progress_total=300, heartbeat_at=timezone.now() - silent_for
    )
    return Release.objects.get(pk=release.pk)


def test_a_build_whose_worker_was_lost_is_built_again(client: Client, celery_worker: None) -> None:
    lab = release_lab(media=10, comments_per_media=2)
    release = left_building(lab, silent_for=timedelta(minutes=10))
    client.force_login(lab.user)
    progress = reverse("releases:progress", args=[lab.organization.pk, release.pk])
    assert client.get(progress).json()["interrupted"] is True

    assert requeue_stale_builds() == 1
    wait_for(lambda: Release.objects.get(pk=release.pk).status == ReleaseStatus.READY, 120, "the rebuilt release")
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
