"""The progress JSON and the connected accounts page tell a lost backfill from a running one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization
from collector.models import CollectionRun, Platform, Profile, RunKind, RunOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def backfilling(django_user_model: Any, client: Any) -> Profile:
    organization = Organization.objects.create(name="Campus")
    user = django_user_model.objects.create_user("rita", password="x-long-password-1")
    Membership.objects.create(user=user, organization=organization)
    client.force_login(user)
    return Profile.objects.create(
        organization=organization,
        platform=Platform.INSTAGRAM,
        meta_id="17841400000000091",
        username="campus",
        backfill_started_at=timezone.now(),
        backfill_total=10_000,
        backfill_done=3_000,
    )


def _progress(client: Any, profile: Profile) -> dict[str, Any]:
    return client.get(reverse("collector:backfill_progress", args=[profile.pk])).json()


def _run(profile: Profile, beat_ago: timedelta, outcome: str = RunOutcome.RUNNING) -> CollectionRun:
    return CollectionRun.objects.create(
        profile=profile, kind=RunKind.BACKFILL, outcome=outcome, heartbeat_at=timezone.now() - beat_ago
    )


def test_a_backfill_whose_run_beats_is_running_not_interrupted(client: Any, backfilling: Profile) -> None:
    _run(backfilling, timedelta(seconds=3))
    body = _progress(client, backfilling)
    assert (body["running"], body["interrupted"], body["percent"]) == (True, False, 30)


def test_a_backfill_whose_run_stopped_beating_says_interrupted(
    client: Any, backfilling: Profile, settings: Any
) -> None:
    _run(backfilling, timedelta(seconds=settings.COLLECTOR_STALE_RUN_SECONDS + 5))
    body = _progress(client, backfilling)
    assert (body["running"], body["interrupted"], body["done"]) == (True, True, 3_000)
    page = client.get(reverse("accounts:connected")).content.decode()
    assert "Interrupted, resuming…" in page and "data-backfill-interrupted hidden" not in page


def test_a_re_queued_backfill_says_interrupted_until_a_new_run_beats(client: Any, backfilling: Profile) -> None:
    _run(backfilling, timedelta(minutes=5), RunOutcome.INTERRUPTED)
    assert _progress(client, backfilling)["interrupted"] is True
    _run(backfilling, timedelta(0))
    assert _progress(client, backfilling)["interrupted"] is False
    page = client.get(reverse("accounts:connected")).content.decode()
    assert "data-backfill-interrupted hidden" in page
