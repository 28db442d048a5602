"""A backfill collects every media with its insights in a couple dozen Graph calls, and is
idempotent; an incremental sync with nothing new costs at most two calls."""

from __future__ import annotations

from typing import Any

from django.db import connection

from collector.models import CollectionRun, Media, MediaInsight, MediaProductType, Profile, RunKind, RunOutcome
from collector.tasks import backfill_profile, sync_profile
from tests.waiting import wait_for


def _finished(kind: RunKind, count: int = 1) -> Any:
    return lambda: CollectionRun.objects.filter(kind=kind).exclude(outcome=RunOutcome.RUNNING).count() >= count


def _row_versions() -> list[tuple[int, str]]:
    """Postgres' xmin changes whenever a row is rewritten, even with identical values."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM collector_media ORDER BY id")
        return cursor.fetchall()


def test_a_thousand_media_backfill_completely_with_insights_in_25_calls(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("bench.thousand", media=1000)
    sandbox.reset_calls()

    backfill_profile.delay(profile.pk)
    wait_for(_finished(RunKind.BACKFILL), 120, "the backfill")
    wait_for(_finished(RunKind.STORIES), 60, "the stories queued after it")
    wait_for(_finished(RunKind.HISTORY), 60, "the account history queued after it")

    profile.refresh_from_db()
    feed = Media.objects.filter(profile=profile).exclude(media_product_type="STORY")
    assert feed.count() == 1000
    assert profile.backfill_done == profile.backfill_total == 1000
    assert profile.backfill_finished_at is not None
    old_enough = feed.filter(reach__isnull=False)
    assert old_enough.count() >= 990  # the sandbox gives no insights for media under an hour old
    assert MediaInsight.objects.filter(media__in=feed).count() == old_enough.count()
    runs = CollectionRun.objects.all()
    assert {run.outcome for run in runs} == {RunOutcome.OK}
    assert sum(run.graph_calls for run in runs) == sandbox.calls()["total"]
    # The media and their comments cost a couple dozen calls; the account history queued with the
    # stories costs one a day it fills (test_day_one), whatever the number of media.
    media_calls = sum(run.graph_calls for run in runs if run.kind != RunKind.HISTORY)
    assert media_calls <= 25


def test_a_second_backfill_changes_no_row_and_a_quiet_sync_costs_two_calls(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("bench.twice", media=300)
    backfill_profile.delay(profile.pk)
    wait_for(_finished(RunKind.BACKFILL), 90, "the first backfill")
    wait_for(_finished(RunKind.STORIES), 60, "the stories queued after it")
    # Feed media only: every read of a live story is a reading of its own (the story vault's
    # provenance, "live at HH:MM"), changed or not.
    feed_insights = MediaInsight.objects.exclude(media__media_product_type=MediaProductType.STORY)
    before, insights = _row_versions(), feed_insights.count()

    backfill_profile.delay(profile.pk)
    wait_for(_finished(RunKind.BACKFILL, 2), 90, "the second backfill")
    wait_for(_finished(RunKind.STORIES, 2), 60, "the stories queued after it")
    wait_for(_finished(RunKind.HISTORY, 2), 60, "the account history queued after it")

    assert _row_versions() == before
    assert feed_insights.count() == insights
    assert CollectionRun.objects.filter(kind=RunKind.BACKFILL).order_by("started_at").last().items_upserted == 0

    sandbox.reset_calls()
    sync_profile.delay(profile.pk)
    wait_for(_finished(RunKind.SYNC), 60, "the sync")
    assert sandbox.calls()["total"] <= 2
    assert _row_versions() == before
    assert Profile.objects.get(pk=profile.pk).collection_status == "idle"
