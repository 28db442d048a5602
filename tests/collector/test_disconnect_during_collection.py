"""Disconnecting with "delete the data" while a backfill runs: the profile and its data stay gone."""

from __future__ import annotations

from accounts.forget import begin_disconnect
from collector.models import CollectionRun, Media, Profile
from collector.tasks import backfill_profile
from tests.waiting import wait_for


def test_a_backfill_in_flight_never_brings_a_deleted_profile_back(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("campus.leaving", media=3000)
    sandbox.fail(token=profile.credential.token, mode="slow", delay=0.2)  # thirty media pages, 6 s or more
    result = backfill_profile.delay(profile.pk)
    wait_for(lambda: Profile.objects.filter(pk=profile.pk, backfill_done__gt=0).exists(), 60, "the backfill started")

    begin_disconnect(profile.credential, delete_data=True)

    assert result.get(timeout=90) == "gone"
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not Media.objects.filter(profile_id=profile.pk).exists()
    assert not CollectionRun.objects.filter(profile_id=profile.pk).exists()
