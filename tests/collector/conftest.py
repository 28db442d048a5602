"""Collector fixtures: connected sandbox accounts, and real workers: the suite's own for a test
that needs one worker as configured, workers started for the test when it needs several or its own
limits (the budget, the pause Meta gives no time for, when a run counts as stale)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.conf import settings

from accounts.models import Organization
from collector.models import Profile
from tests.conftest import ARTIFACTS, SuiteWorker, start_worker, stop_worker
from tests.sandbox_process import connect_instagram_account


@pytest.fixture
def clean_redis() -> None:
    """No queued task, lock, budget or pause left over from another test. Kombu's bindings stay:
    a running producer declared its queues once and would otherwise publish into nothing."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    stale = [key for key in client.scan_iter() if not key.startswith(b"_kombu.binding.")]
    if stale:
        client.delete(*stale)


@pytest.fixture
def connect(sandbox: Any, transactional_db: None) -> Callable[..., Profile]:
    """A sandbox Instagram account with `media` posts, connected to a new organization."""

    def make(username: str, media: int | None = None, organization: Organization | None = None) -> Profile:
        return connect_instagram_account(sandbox.url, username, media, organization)

    return make


@pytest.fixture
def workers(
    suite_worker: SuiteWorker, clean_redis: None, transactional_db: None, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., list[subprocess.Popen[bytes]]]]:
    """Real Celery workers (`count`, with extra environment), answering when this returns.

    One worker with the settings' limits is the suite's (started once per pytest worker: a start
    costs seconds of CPU, and two dozen tests ask for one); any other request stops the suite's
    and starts the workers asked for."""
    from socialdatalab.celery import app

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []

    def start(count: int = 1, **environment: str) -> list[subprocess.Popen[bytes]]:
        if count == 1 and not environment:
            suite_worker.start()
            assert suite_worker.process is not None
            return [suite_worker.process]
        suite_worker.quiesce()
        suite_worker.stop()
        monkeypatch.setenv("META_RATE_LIMIT_PAUSE_SECONDS", "2")
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        names = [f"collector{os.getpid()}-{len(started) + i}" for i in range(count)]
        for name in names:
            started.append(start_worker(settings, "--concurrency", "1", name=name))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            if sum(1 for reply in replies for host in reply if host.split("@")[0] in names) == count:
                return started
        raise RuntimeError("the collector workers did not come up")

    yield start
    for process in started:
        stop_worker(process)


