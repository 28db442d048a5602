"""A worker killed with SIGKILL in the middle of a first backfill: the database says the run is
lost (its heartbeat stopped), beat's re-queue hands it to a new worker, which resumes from the
cursor saved on the profile; the progress JSON says "interrupted" meanwhile, never a frozen bar."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from collector.gaps import DataGap, GapReason
from collector.models import CollectionRun, Media, Profile, RunKind, RunOutcome
from collector.stale_work import requeue_stale_work
from collector.tasks import backfill_profile
from tests.waiting import wait_for

MEDIA = 10_000
KILL_AT = 3_000


def _kill_with_children(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and its pool children, as the OOM killer or `kill -9` would: no ack,
    no cleanup, the message left unacked in Redis for the visibility timeout."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for pid in [process.pid, *map(int, children)]:
        os.kill(pid, signal.SIGKILL)
    process.wait()


def _media_pages_read(sandbox: Any) -> int:
    return sum(count for key, count in sandbox.calls().items() if key.endswith("/media"))


def test_a_backfill_killed_at_3000_of_10000_resumes_on_a_new_worker_with_truthful_progress(
    sandbox: Any, connect: Any, workers: Any, settings: Any, django_user_model: Any
) -> None:
    settings.COLLECTOR_STALE_RUN_SECONDS = 5  # what the page calls stale; the workers get the same
    first = workers(1, COLLECTOR_STALE_RUN_SECONDS="5")[0]
    profile = connect("crash.dezmil", media=MEDIA)
    viewer = django_user_model.objects.create_user("vera", password="x-long-password-1")
    Membership.objects.create(user=viewer, organization=profile.organization)
    browser = Client()
    browser.force_login(viewer)

    def progress() -> dict[str, Any]:
        return browser.get(reverse("collector:backfill_progress", args=[profile.pk])).json()

    backfill_profile.delay(profile.pk)
    wait_for(lambda: Profile.objects.get(pk=profile.pk).backfill_done >= KILL_AT, 120, f"{KILL_AT} media")
    _kill_with_children(first)
    killed_at = Profile.objects.get(pk=profile.pk).backfill_done
    assert KILL_AT <= killed_at < MEDIA
    assert CollectionRun.objects.get(kind=RunKind.BACKFILL).outcome == RunOutcome.RUNNING

    time.sleep(6)  # the heartbeat goes stale
    body = progress()
    assert (body["running"], body["interrupted"], body["done"]) == (True, True, killed_at)

    workers(1, COLLECTOR_STALE_RUN_SECONDS="5")
    sandbox.reset_calls()
    restarted = time.monotonic()
    requeue_stale_work.delay()  # what beat runs every minute
    wait_for(
        lambda: CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.INTERRUPTED).exists(),
        30,
        "the lost run re-queued",
    )

    seen: list[dict[str, Any]] = []

    def finished() -> bool:
        seen.append(progress())
        return not seen[-1]["running"]

    wait_for(finished, 120 - (time.monotonic() - restarted), "the resumed backfill")
    assert time.monotonic() - restarted < 120
    feed = Media.objects.filter(profile=profile).exclude(media_product_type="STORY")
    assert feed.count() == MEDIA
    assert (seen[-1]["done"], seen[-1]["percent"]) == (MEDIA, 100)
    counts = [body["done"] for body in seen]
    assert counts == sorted(counts) and counts[0] >= killed_at  # never back to zero, never down
    # It resumed from the saved cursor: the pages before it were not read again.
    assert _media_pages_read(sandbox) <= (MEDIA - killed_at) // 100 + 11
    runs = CollectionRun.objects.filter(kind=RunKind.BACKFILL).order_by("started_at")
    assert [run.outcome for run in runs] == [RunOutcome.INTERRUPTED, RunOutcome.OK]
    # The ledger: the worker was down from the lost run's last heartbeat until the resumed run completed.
    gap = DataGap.objects.get(profile=profile, reason=GapReason.WORKER_DOWN)
    assert (gap.started_at, gap.ended_at) == (runs[0].heartbeat_at, runs[1].finished_at)
