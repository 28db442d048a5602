"""The daily ProfileSnapshot: the day's followers, follows, media count and account insights,
stored once per profile per day however often the task runs."""

from __future__ import annotations

import json

from collector.models import CollectionRun, ProfileSnapshot, RunKind, RunOutcome
from collector.tasks import snapshot_all, snapshot_profile
from tests.waiting import wait_for


def test_the_snapshot_stores_the_days_counters_and_insights_once(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("snapshot.daily", media=12)
    meta = profile.credential.graph_client().get(profile.meta_id, {"fields": "followers_count,follows_count"})

    assert snapshot_profile.delay(profile.pk).get(timeout=60) == RunOutcome.OK

    snapshot = ProfileSnapshot.objects.get(profile=profile)
    assert (snapshot.followers_count, snapshot.follows_count) == (meta["followers_count"], meta["follows_count"])
    assert snapshot.media_count == 12
    for metric in ("reach", "views", "accounts_engaged", "total_interactions"):
        assert isinstance(getattr(snapshot, metric), int), metric
    assert snapshot.follows is not None and snapshot.unfollows is not None  # thousands of followers
    names = {item["name"] for item in snapshot.raw["data"]}
    assert {"reach", "views", "accounts_engaged", "total_interactions", "follows_and_unfollows"} <= names
    assert profile.credential.token not in json.dumps(snapshot.raw)  # Meta's paging URLs carry it
    first = ProfileSnapshot.objects.values().get(profile=profile)

    assert snapshot_all() == 1  # beat's daily fan-out runs it again the same day
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.SNAPSHOT, outcome=RunOutcome.OK).count() == 2, 60)

    again = ProfileSnapshot.objects.values().get(profile=profile)  # still one row for the day
    assert {k: v for k, v in again.items() if k != "captured_at"} == {
        k: v for k, v in first.items() if k != "captured_at"
    }
