"""Discovery fixtures: a lab whose @ifma.saoluis came through Facebook Login (the account that
asks Business Discovery), and helpers that wait on the worker's visits."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Credential, CredentialKind, Membership, Organization, Role
from collector.models import Platform, Profile
from discovery.models import TrackedAccount

SAOLUIS = "17841400000000001"


@dataclass
class Lab:
    user: Any
    organization: Organization
    caller: Profile
    token: str


def facebook_lab(sandbox: Any, name: str = "Lab IFMA") -> Lab:
    """An owner whose organization has @ifma.saoluis connected through Facebook Login (its Page
    token), as accounts.connect.connect_facebook leaves it, without queueing its backfill."""
    minted = sandbox.mint_token("facebook", "ifma.saoluis")
    user = get_user_model().objects.create_user(f"owner-{name}", password="a-long-test-password-1")
    organization = Organization.objects.create(name=name)
    Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
    credential = Credential(
        organization=organization, kind=CredentialKind.PAGE, meta_user_id=str(minted["user_id"]),
        subject_id=str(minted["page_id"]), name="IFMA Campus São Luís - Monte Castelo",
    )  # fmt: skip
    credential.token = minted["page_access_token"]
    credential.save()
    caller = Profile.objects.create(
        organization=organization, credential=credential, platform=Platform.INSTAGRAM, meta_id=SAOLUIS,
        username="ifma.saoluis", page_id=str(minted["page_id"]),
    )  # fmt: skip
    return Lab(user, organization, caller, minted["page_access_token"])


def forget_rate_limits() -> None:
    """No call budget or pause left in Redis by an earlier test: the sandbox's accounts are the
    same in every test, and a backfill spends much of an account's hourly budget."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    stale = list(client.scan_iter("meta:rl:*"))
    if stale:
        client.delete(*stale)


@pytest.fixture
def lab(sandbox: Any, transactional_db: None) -> Lab:
    forget_rate_limits()
    return facebook_lab(sandbox)


def wait_for(check: Callable[[], Any], timeout: float = 90, what: str = "the condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached within {timeout:.0f}s")


def visited(tracked_id: int, after: Any = None, status: str | None = None) -> TrackedAccount:
    """Wait until the worker's visit of the tracked account is stored (after `after`)."""

    def done() -> TrackedAccount | None:
        tracked = TrackedAccount.objects.get(pk=tracked_id)
        fresh = tracked.visited_at is not None and (after is None or tracked.visited_at > after)
        return tracked if fresh and (status is None or tracked.status == status) else None

    return wait_for(done, what=f"a visit of tracked account {tracked_id}")


def a_day_passes(tracked: TrackedAccount) -> None:
    """Yesterday's visit: its snapshot dated yesterday, so today's visit is due and writes its own."""
    yesterday = timezone.now() - timedelta(days=1)
    TrackedAccount.objects.filter(pk=tracked.pk).update(visited_at=yesterday)
    if tracked.profile_id:
        tracked.profile.snapshots.filter(date=timezone.now().date()).update(date=yesterday.date())
