"""Day one: an account connected a minute ago already has comments on the comments page, a
follower-growth chart over the last 30 days, and account reach, views and accounts engaged for
a 7- and a 30-day period, without waiting for the first poll or the nightly snapshot."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from itertools import pairwise
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import connect as connecting
from accounts.models import Organization
from collector.account_insights import HISTORY_DAYS
from collector.models import (
    CollectionRun,
    Comment,
    CommentSource,
    Profile,
    ProfileSnapshot,
    RunKind,
    RunOutcome,
)
from collector.tasks import backfill_profile
from meta.oauth import IssuedToken
from tests.waiting import wait_for
from webhooks.tasks import check_webhooks_arriving


def _done(kind: RunKind, count: int = 1) -> Any:
    return lambda: CollectionRun.objects.filter(kind=kind).exclude(outcome=RunOutcome.RUNNING).count() >= count


def _connected(sandbox: Any, django_user_model: Any, username: str) -> tuple[Client, Profile]:
    """A person logs in with Instagram: the connect service runs and queues the backfill."""
    user = django_user_model.objects.create_user(username=f"owner-{username}")
    organization: Organization = connecting.organization_for(user)
    minted = sandbox.mint_token("instagram", username)
    issued = IssuedToken(minted["access_token"], None, tuple(minted.get("scopes") or ()))
    connecting.connect_instagram(organization, user, issued)
    client = Client()
    client.force_login(user)
    return client, Profile.objects.get(organization=organization)


def _stat(html: str, key: str) -> str:
    found = re.search(rf'id="stat-{key}">\s*<p class="stat-label">[^<]*</p>\s*<p class="stat">([^<]*)</p>', html)
    assert found, f"no {key} card"
    return found.group(1).strip()


def test_it_shows_comments_growth_and_account_insights_within_a_minute_of_connecting(
    sandbox, workers, django_user_model
) -> None:
    workers(1)
    started = timezone.now()
    client, profile = _connected(sandbox, django_user_model, "ifma.imperatriz")

    wait_for(_done(RunKind.HISTORY), 60, "the account history")
    wait_for(_done(RunKind.STORIES), 60, "the stories")
    assert timezone.now() - started < timedelta(minutes=1)
    assert not CollectionRun.objects.filter(kind=RunKind.COMMENTS).exists()  # no poll has run

    comments = client.get(reverse("comments", args=[profile.pk])).content.decode()
    assert "No comments collected yet" not in comments
    assert comments.count('class="thread card"') >= 10

    page = client.get(reverse("profile", args=[profile.pk])).content.decode()
    series = json.loads(re.search(r'<script id="follower-series" type="application/json">(.*?)</script>', page)[1])
    assert len(series) == HISTORY_DAYS == 30
    assert [point["estimated"] for point in series] == [True] * 29 + [False]  # only today's is read
    profile.refresh_from_db()
    assert series[-1]["followers"] == profile.followers_count
    assert all(a["followers"] <= b["followers"] for a, b in pairwise(series))
    assert series[0]["followers"] < profile.followers_count  # Meta counted new followers each day
    assert "estimated" in page

    for days in (7, 30):
        html = client.get(reverse("engagement", args=[profile.pk]), {"period": days}).content.decode()
        for key in ("account_reach", "account_views", "accounts_engaged", "follower_gain"):
            value = _stat(html, key)
            assert value != "—" and re.fullmatch(r"[\d.,\s]+", value), (days, key, value)


def test_the_first_backfill_comments_ride_in_its_media_page_and_never_count_as_missed_webhooks(
    sandbox, connect, workers
) -> None:
    workers(1)
    sandbox.create_account("day1.comments", 150)
    profile = connect("day1.comments")
    Profile.objects.filter(pk=profile.pk).update(created_at=timezone.now() - timedelta(days=400))  # made "after"
    sandbox.reset_calls()

    backfill_profile.delay(profile.pk)
    wait_for(_done(RunKind.BACKFILL), 60, "the backfill")

    backfill = CollectionRun.objects.get(kind=RunKind.BACKFILL)
    assert backfill.outcome == RunOutcome.OK, backfill.error
    assert backfill.graph_calls == 3  # the profile and two media pages: the comments rode in the first
    stored = Comment.objects.filter(profile=profile)
    assert stored.filter(parent__isnull=True).count() > 100 and stored.filter(parent__isnull=False).exists()
    assert set(stored.values_list("source", flat=True)) == {CommentSource.BACKFILL}
    # Made long "after connecting" and first seen long after they were made, yet the backfill's:
    assert check_webhooks_arriving() == 0
    assert not Profile.objects.get(pk=profile.pk).webhooks_missing


def test_the_account_history_costs_one_call_a_day_and_keeps_the_nightly_rows(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("ifma.caxias")
    today = timezone.now().date()
    nightly = ProfileSnapshot.objects.create(profile=profile, date=today - timedelta(days=3), followers_count=7)
    sandbox.reset_calls()

    backfill_profile.delay(profile.pk)
    wait_for(_done(RunKind.HISTORY), 60, "the account history")

    history = CollectionRun.objects.get(kind=RunKind.HISTORY)
    assert history.outcome == RunOutcome.OK, history.error
    # today's snapshot (profile, totals, follows, reach by surface), follower_count, then one per missing past day
    assert history.graph_calls == 4 + 1 + (HISTORY_DAYS - 2)
    assert ProfileSnapshot.objects.filter(profile=profile).count() == HISTORY_DAYS
    nightly.refresh_from_db()
    assert (nightly.followers_count, nightly.followers_estimated) == (7, False)
    yesterday = ProfileSnapshot.objects.get(profile=profile, date=today - timedelta(days=1))
    assert yesterday.followers_estimated and yesterday.reach and yesterday.views and yesterday.accounts_engaged
    assert yesterday.follows is not None


def test_with_facebook_login_the_past_days_ride_in_one_batch_request(sandbox, workers, django_user_model) -> None:
    workers(1)
    user = django_user_model.objects.create_user(username="owner-facebook")
    minted = sandbox.mint_token("facebook", "ifma.saoluis")
    issued = IssuedToken(minted["access_token"], None, tuple(minted.get("scopes") or ()))
    connecting.connect_facebook(connecting.organization_for(user), user, issued)

    wait_for(_done(RunKind.HISTORY, 2), 60, "the account history of the Page and of its Instagram account")

    instagram = Profile.objects.get(platform="instagram")
    history = CollectionRun.objects.get(kind=RunKind.HISTORY, profile=instagram)
    assert history.outcome == RunOutcome.OK, history.error
    assert history.graph_calls == 4 + 1 + 1  # today's snapshot, follower_count, one batch of the past days
    rows = ProfileSnapshot.objects.filter(profile=instagram)
    assert rows.count() == HISTORY_DAYS and rows.filter(reach__isnull=True).count() == 0
    assert rows.filter(followers_estimated=True).count() == HISTORY_DAYS - 1
    page = Profile.objects.get(platform="facebook_page")
    assert ProfileSnapshot.objects.filter(profile=page, date=timezone.now().date()).exists()
