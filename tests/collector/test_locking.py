"""Two real workers collecting ten profiles never work on one profile at the same time."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from accounts.models import Organization
from collector.models import CollectionRun, Profile, RunKind, RunOutcome
from collector.tasks import backfill_profile, sync_profile
from tests.waiting import wait_for


def test_two_workers_never_collect_one_profile_at_once_and_all_complete(sandbox, connect, workers) -> None:
    workers(2)
    organization = Organization.objects.create(name="Network")
    profiles = [connect(f"campus.{n:02d}", media=40, organization=organization) for n in range(10)]
    for profile in profiles:  # two jobs per profile, queued together: they will contend
        backfill_profile.delay(profile.pk)
        sync_profile.delay(profile.pk)

    finished = CollectionRun.objects.filter(outcome=RunOutcome.OK)
    wait_for(
        lambda: (
            finished.filter(kind=RunKind.SYNC).count() == 10 and finished.filter(kind=RunKind.BACKFILL).count() == 10
        ),
        180,
    )

    runs = defaultdict(list)
    for run in CollectionRun.objects.exclude(finished_at=None):
        runs[run.profile_id].append((run.started_at, run.finished_at))
    for intervals in runs.values():
        intervals.sort()
        for (_, end), (start, _) in pairwise(intervals):
            assert start >= end, "two runs on one profile overlapped"
    workers_used = set(CollectionRun.objects.values_list("worker", flat=True))
    assert len({w.split(" pid")[0] for w in workers_used}) == 2
    stored = [
        p.media.exclude(media_product_type="STORY").count()
        for p in Profile.objects.filter(pk__in=[p.pk for p in profiles])
    ]
    assert stored == [40] * 10
