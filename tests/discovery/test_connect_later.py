"""A tracked account that later connects keeps one history: the same Profile, its public days and
posts, then the insights its own collection adds."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from accounts import connect as connecting
from collector.models import Platform, Profile
from discovery import panel
from discovery.models import TrackedAccount, TrackedStatus
from discovery.tasks import visit_due
from meta.oauth import IssuedToken
from tests.discovery.conftest import Lab, a_day_passes, visited, wait_for

pytestmark = pytest.mark.usefixtures("celery_worker")
IMPERATRIZ = "17841400000000002"


def test_a_tracked_account_that_connects_keeps_one_history(sandbox: Any, lab: Lab) -> None:
    panel.add(lab.organization, "ifma.imperatriz", lab.user)
    tracked = visited(TrackedAccount.objects.get(username="ifma.imperatriz").pk, status=TrackedStatus.OK)
    public = tracked.profile
    assert public is not None and public.meta_id == IMPERATRIZ
    public_media = set(public.media.values_list("meta_id", flat=True))
    a_day_passes(tracked)  # the public snapshot is yesterday's
    public_day = public.snapshots.get()

    minted = sandbox.mint_token("instagram", "ifma.imperatriz")
    connecting.connect_instagram(
        lab.organization, lab.user, IssuedToken(minted["access_token"], None, tuple(minted["scopes"]))
    )
    connected = Profile.objects.get(organization=lab.organization, meta_id=IMPERATRIZ)
    assert connected.pk == public.pk and connected.credential is not None
    assert (
        Profile.objects.filter(organization=lab.organization, platform=Platform.INSTAGRAM, meta_id=IMPERATRIZ).count()
        == 1
    )

    def backfilled() -> bool:
        profile = Profile.objects.get(pk=public.pk)
        return profile.backfill_finished_at is not None and profile.media.filter(reach__isnull=False).exists()

    wait_for(backfilled, timeout=240, what="the connected account's backfill")
    profile = Profile.objects.get(pk=public.pk)
    assert public_media <= set(profile.media.values_list("meta_id", flat=True))
    assert profile.media.filter(meta_id__in=public_media, reach__isnull=False).exists()  # same rows, now with insights
    # The account history then writes today and the days Meta still has, and leaves the public day as read.
    wait_for(lambda: profile.snapshots.filter(date=timezone.now().date()).exists(), what="today's snapshot")
    kept = profile.snapshots.get(date=public_day.date)
    assert kept.pk == public_day.pk and kept.followers_count == public_day.followers_count

    tracked.refresh_from_db()
    visit_due.delay()
    now_connected = visited(tracked.pk, after=tracked.visited_at, status=TrackedStatus.CONNECTED)
    assert now_connected.profile_id == public.pk and now_connected.graph_calls == 0
