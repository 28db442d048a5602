"""A stopped worker is visible wherever people wait on it: the banner, the dashboard status, a
pending reply and a backfill's progress all say "Waiting for the worker since HH:MM", and the
page recovers by itself once the worker runs again."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from collector.models import Profile
from socialdatalab.health import HEARTBEAT_KEY, HEARTBEAT_MAX_AGE
from tests.conftest import SuiteWorker
from tests.insights.browser import sign_in
from tests.insights.conftest import sandbox_comment
from tests.waiting import wait_for

pytestmark = pytest.mark.browser


def process_tree(pid: int) -> list[int]:
    """The worker's main process and its pool children (the prefork processes that run tasks)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(descendant for child in children for descendant in process_tree(int(child)))]


@pytest.fixture
def stopped_worker(celery_worker: None, suite_worker: SuiteWorker) -> Iterator[SuiteWorker]:
    """The suite's real worker, frozen with SIGSTOP (as a hung or suspended worker is), then
    resumed with SIGCONT however the test ends."""
    assert suite_worker.process is not None
    pids = process_tree(suite_worker.process.pid)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield suite_worker
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def last_beat_label() -> str:
    last_beat = datetime.fromtimestamp(float(cache.get(HEARTBEAT_KEY)), tz=UTC)
    return f"Waiting for the worker since {timezone.localtime(last_beat):%H:%M}"


def test_it_shows_a_stopped_worker_wherever_people_wait_on_it(
    sandbox_lab: Any, sandbox: Any, stopped_worker: SuiteWorker, page: Any, live_server: Any, screenshot: Any
) -> None:
    lab = sandbox_lab
    comment = sandbox_comment(sandbox, lab, "A biblioteca abre no sábado?")
    Profile.objects.filter(pk=lab.profile.pk).update(
        backfill_started_at=timezone.now(), backfill_total=120, backfill_done=30
    )
    wait_for(lambda: cache.get(HEARTBEAT_KEY) < datetime.now().timestamp() - HEARTBEAT_MAX_AGE, 60, "a stale beat")
    waiting = last_beat_label()
    sign_in(page, live_server, lab.user)

    page.goto(live_server.url + reverse("dashboard"))
    screenshot("dashboard-worker-down")
    assert page.locator("#worker-down").is_visible()
    row = page.locator("tr", has_text="ifma.saoluis")
    assert row.locator(".worker-waiting").inner_text() == waiting
    assert "Up to date" not in row.inner_text() and "Collecting history" not in row.inner_text()

    page.goto(live_server.url + reverse("accounts:connected"))
    screenshot("backfill-worker-down")
    assert page.locator(".backfill-progress .worker-waiting").inner_text() == waiting

    page.goto(live_server.url + reverse("comments", args=[lab.profile.pk]))
    page.fill(f"#reply-{comment.pk}", "Sim, das 8h às 12h.")
    page.click(f"#comment-{comment.pk} .reply-form button")
    pending = page.locator(f'#comment-{comment.pk} .action-state[data-status="pending"]')
    pending.wait_for()
    screenshot("reply-waiting-for-the-worker")
    assert page.locator(f"#comment-{comment.pk} .worker-waiting").inner_text() == waiting

    for pid in process_tree(stopped_worker.process.pid):
        os.kill(pid, signal.SIGCONT)
    page.wait_for_selector(f'#comment-{comment.pk} .action-state[data-status="done"]', timeout=45_000)
    screenshot("reply-done-after-the-worker-came-back")
    assert page.locator(f"#comment-{comment.pk} .worker-waiting").count() == 0
    assert page.locator("#worker-down").count() == 0
