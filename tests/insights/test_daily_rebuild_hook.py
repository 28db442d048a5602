"""After a collection run ends well, a worker rebuilds the profile's daily aggregates."""

from datetime import timedelta

from django.utils import timezone

from collector.models import CollectionRun, Media, RunKind, RunOutcome
from collector.tasks import backfill_profile
from insights.models import DailyMetric
from tests.insights.builders import account
from tests.sandbox_process import connect_instagram_account
from tests.waiting import wait_for


def test_a_finished_sync_rebuilds_the_daily_metrics(transactional_db, celery_worker):
    profile = account("hooked.campus").profile
    Media.objects.create(
        profile=profile, meta_id="m1", timestamp=timezone.now() - timedelta(days=1), media_type="IMAGE", reach=900,
        like_count=30,
    )  # fmt: skip
    run = CollectionRun.objects.create(profile=profile, kind=RunKind.SYNC)
    run.finished_at, run.outcome = timezone.now(), RunOutcome.OK
    run.save()
    row = wait_for(lambda: DailyMetric.objects.filter(profile=profile).first(), what="the rebuild")
    assert (row.posts, row.reach, row.likes) == (1, 900, 30)


def test_a_failed_run_leaves_the_aggregates_alone(transactional_db, celery_worker):
    profile = account("failing.campus").profile
    Media.objects.create(profile=profile, meta_id="m1", timestamp=timezone.now(), media_type="IMAGE", reach=1)
    CollectionRun.objects.create(
        profile=profile, kind=RunKind.SYNC, finished_at=timezone.now(), outcome=RunOutcome.FAILED
    )
    other = account("other.campus").profile
    Media.objects.create(profile=other, meta_id="m2", timestamp=timezone.now(), media_type="IMAGE", reach=1)
    ok = CollectionRun.objects.create(profile=other, kind=RunKind.SYNC)
    ok.finished_at, ok.outcome = timezone.now(), RunOutcome.OK
    ok.save()
    # The good run, saved after the failed one, is rebuilt: the worker has had its chance.
    wait_for(lambda: DailyMetric.objects.filter(profile=other).exists(), what="the other profile's rebuild")
    assert not DailyMetric.objects.filter(profile=profile).exists()


def test_a_real_backfill_through_the_worker_fills_the_daily_metrics(transactional_db, sandbox, celery_worker):
    profile = connect_instagram_account(sandbox.url, "backfilled.campus", media=120)

    backfill_profile.delay(profile.pk).get(timeout=60)

    wait_for(lambda: DailyMetric.objects.filter(profile=profile).exists(), what="the rebuild after the backfill")
