"""While a backfill runs, the connected accounts page shows a progress bar with done/total that
follows the backfill (polling the progress endpoint, under the CSP), and drops it when done."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Credential, CredentialKind, Membership, Organization
from collector.models import CollectionRun, Platform, Profile, RunKind, RunOutcome
from tests.insights.browser import csp_watch, sign_in

pytestmark = pytest.mark.browser


def backfilling(name: str, meta_id: str, total: int, done: int) -> tuple[Any, Profile]:
    """A member and their organisation's profile whose first backfill is under way."""
    organization = Organization.objects.create(name=name.title())
    user = get_user_model().objects.create_user(f"{name}-member", f"{name}@example.org", "pw-123456!")
    Membership.objects.create(user=user, organization=organization)
    credential = Credential(
        organization=organization, kind=CredentialKind.INSTAGRAM_USER, meta_user_id="9", subject_id="1", name=name
    )
    credential.token = "not-used-here"
    credential.save()
    profile = Profile.objects.create(
        organization=organization,
        credential=credential,
        platform=Platform.INSTAGRAM,
        meta_id=meta_id,
        username=name,
        backfill_started_at=timezone.now(),
        backfill_total=total,
        backfill_done=done,
    )
    return user, profile


def test_the_progress_bar_follows_the_backfill_and_goes_away_when_done(
    transactional_db: None, live_server: Any, page: Any, screenshot: Any
) -> None:
    user, profile = backfilling("biblioteca", "17841400000000077", total=3000, done=1000)
    sign_in(page, live_server, user)
    errors = csp_watch(page)

    page.goto(live_server.url + reverse("accounts:connected"))
    block = page.locator("tr.connected-asset .backfill-progress")
    bar = block.locator("progress")
    screenshot("backfill-started")
    # (a "waiting for the worker" note may follow: no worker runs in this test)
    assert block.inner_text().split(":")[1].split()[:4] == ["1000", "/", "3000", "media"]
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("1000", "3000")

    Profile.objects.filter(pk=profile.pk).update(backfill_done=2000)  # the worker loaded a chunk
    expect(block.locator("[data-backfill-done]")).to_have_text("2000", timeout=10_000)
    expect(bar).to_have_attribute("value", "2000")
    screenshot("backfill-advanced")

    Profile.objects.filter(pk=profile.pk).update(backfill_done=3000, backfill_finished_at=timezone.now())
    block.wait_for(state="detached", timeout=10_000)
    screenshot("backfill-done")
    assert page.locator("progress").count() == 0
    assert errors == []


def test_no_bar_is_shown_when_no_backfill_runs(client: Any, django_user_model: Any, db: None) -> None:
    organization = Organization.objects.create(name="Quiet")
    user = django_user_model.objects.create_user("caio", "caio@example.org", "pw-123456!")
    Membership.objects.create(user=user, organization=organization)
    Profile.objects.create(organization=organization, platform=Platform.INSTAGRAM, meta_id="5", username="quiet")
    client.force_login(user)

    body = client.get(reverse("accounts:connected")).content.decode()
    assert "@quiet" in body and "<progress" not in body


def test_the_bar_says_interrupted_when_the_backfill_run_stops_beating_and_not_once_it_resumes(
    transactional_db: None, live_server: Any, page: Any, screenshot: Any
) -> None:
    user, profile = backfilling("campus", "17841400000000078", total=10_000, done=3_000)
    run = CollectionRun.objects.create(profile=profile, kind=RunKind.BACKFILL, heartbeat_at=timezone.now())
    sign_in(page, live_server, user)
    errors = csp_watch(page)

    page.goto(live_server.url + reverse("accounts:connected"))
    notice = page.locator("tr.connected-asset .backfill-progress [data-backfill-interrupted]")
    expect(notice).to_be_hidden()

    # The worker was killed: its run stops beating, the bar must not pretend it still moves.
    CollectionRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    expect(notice).to_be_visible(timeout=10_000)
    expect(notice).to_have_text("Interrupted, resuming…")
    screenshot("backfill-interrupted")

    CollectionRun.objects.filter(pk=run.pk).update(outcome=RunOutcome.INTERRUPTED)
    CollectionRun.objects.create(profile=profile, kind=RunKind.BACKFILL, heartbeat_at=timezone.now())
    Profile.objects.filter(pk=profile.pk).update(backfill_done=4_000)  # a new worker resumed
    expect(notice).to_be_hidden(timeout=10_000)
    expect(page.locator("tr.connected-asset [data-backfill-done]")).to_have_text("4000")
    assert errors == []
