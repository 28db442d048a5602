"""Under Meta's rate limits and our own budget, collection pauses, resumes and loses nothing."""

from __future__ import annotations

import time

from collector.gaps import DataGap, GapReason
from collector.models import CollectionRun, CollectionStatus, Media, Profile, RunKind, RunOutcome
from collector.tasks import backfill_profile
from tests.waiting import wait_for


def _stored(profile) -> int:
    return Media.objects.filter(profile=profile).exclude(media_product_type="STORY").count()


def test_a_rate_limited_backfill_pauses_then_resumes_and_stores_every_media(sandbox, connect, workers) -> None:
    workers(1, META_RATE_LIMIT_PAUSE_SECONDS="2")
    profile = connect("limited.account", media=400)
    sandbox.fail(account="limited.account", mode="rate_limited", code=80002, regain_minutes=0, times=2)
    sandbox.reset_calls()

    backfill_profile.delay(profile.pk)
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.OK).exists(), 90)

    runs = list(CollectionRun.objects.filter(kind=RunKind.BACKFILL).order_by("started_at"))
    assert [r.outcome for r in runs[:-1]] == [RunOutcome.RETRY] * (len(runs) - 1) and len(runs) >= 2
    assert "80002" in runs[0].error
    # Each refused call paused the account: the retry came after the pause, not at once.
    assert (runs[1].started_at - runs[0].finished_at).total_seconds() >= 1.5
    assert _stored(profile) == 400
    # The ledger: one rate-limit gap from the first refusal to the run that completed.
    gap = DataGap.objects.get(profile=profile)
    assert gap.reason == GapReason.RATE_LIMITED and "80002" in gap.detail
    assert runs[0].started_at <= gap.started_at <= runs[0].finished_at and gap.ended_at == runs[-1].finished_at
    # Two refused calls, then exactly the calls a clean backfill needs (profile, 4 pages, stories
    # and per-story insights when a story has too few viewers): nothing wasted while paused.
    assert sandbox.calls()["total"] <= 2 + 12


def test_the_pause_follows_metas_regain_time_from_the_usage_header(sandbox, connect, workers) -> None:
    # Our own fallback pause is a minute: a retry within seconds can only come from the header.
    workers(1, META_RATE_LIMIT_PAUSE_SECONDS="60")
    profile = connect("regain.account", media=200)
    sandbox.fail(account="regain.account", mode="rate_limited", code=4, regain_minutes=0.05, times=1)

    backfill_profile.delay(profile.pk)
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.OK).exists(), 45)

    refused, done = CollectionRun.objects.filter(kind=RunKind.BACKFILL).order_by("started_at")
    assert (refused.outcome, refused.graph_calls) == (RunOutcome.RETRY, 1)
    assert 2.5 <= (done.started_at - refused.finished_at).total_seconds() < 15  # 0.05 min = 3 s
    assert _stored(profile) == 200


def test_no_call_goes_past_the_budget_and_the_backfill_still_completes(sandbox, connect, workers) -> None:
    workers(1, META_HOURLY_CALL_BUDGET="6", META_BUDGET_WINDOW_SECONDS="3")
    profile = connect("budget.account", media=600)
    sandbox.reset_calls()

    backfill_profile.delay(profile.pk)
    samples: list[tuple[float, int]] = []
    statuses: set[str] = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        samples.append((time.monotonic(), sandbox.calls()["total"]))
        statuses.add(Profile.objects.get(pk=profile.pk).collection_status)
        if CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.OK).exists():
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the budgeted backfill did not finish")

    assert _stored(profile) == 600
    for i, (start, calls_then) in enumerate(samples):
        inside = [calls for at, calls in samples[i:] if at - start < 3]
        assert inside[-1] - calls_then <= 6, "more calls in one budget window than the budget"
    assert CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.RETRY).exists()
    # Our budget paused it, not Meta: the pages and the ledger say which.
    assert CollectionStatus.BUDGET_SPENT in statuses and CollectionStatus.PAUSED not in statuses
    gaps = DataGap.objects.filter(profile=profile)
    assert set(gaps.values_list("reason", flat=True)) == {GapReason.CALL_BUDGET}
    assert not gaps.filter(ended_at__isnull=True).exists(), "the finished backfill closes the budget's gap"
