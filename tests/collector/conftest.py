"""Collector fixtures: connected sandbox accounts and real workers started per test, so each
test can give its workers its own limits (the budget, the pause Meta gives no time for)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.conf import settings

from accounts.models import Credential, CredentialKind, Organization
from collector.models import Platform, Profile
from tests.conftest import ARTIFACTS, start_worker, stop_worker


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
        account = sandbox.create_account(username, media) if media is not None else None
        minted = sandbox.mint_token("instagram", username)
        account = account or next(a for a in sandbox.accounts() if a["username"] == username)
        organization = organization or Organization.objects.create(name=f"Org of {username}")
        credential = Credential(
            organization=organization,
            kind=CredentialKind.INSTAGRAM_USER,
            meta_user_id=str(minted["user_id"]),
            subject_id=account["id"],
            name=username,
        )
        credential.token = minted["access_token"]
        credential.save()
        return Profile.objects.create(
            organization=organization,
            credential=credential,
            platform=Platform.INSTAGRAM,
            meta_id=account["id"],
            username=username,
        )

    return make


@pytest.fixture
def workers(
    no_suite_worker: None, clean_redis: None, transactional_db: None, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., list[subprocess.Popen[bytes]]]]:
    """Start real Celery workers (`count`, with extra environment) and wait until they answer."""
    from socialdatalab.celery import app

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []

    def start(count: int = 1, **environment: str) -> list[subprocess.Popen[bytes]]:
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


def wait_for(check: Callable[[], Any], timeout: float = 60, what: str = "the condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached within {timeout:.0f}s")
