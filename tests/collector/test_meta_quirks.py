"""Real Meta behaviours, played by the sandbox on request, that collection must get through:
media older than the business conversion, fields a host does not offer, several unsupported
metrics at once, pages too large, two breakdowns in one request, and story values under 5."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from collector import account_insights, collect
from collector import stories as collector_stories
from collector.models import InsightsUnavailable, Media, MediaInsight, Profile, ProfileSnapshot
from meta import instagram
from meta.errors import UnsupportedMetric

pytestmark = pytest.mark.usefixtures("clean_redis")


@pytest.fixture(autouse=True)
def forget_refused_fields() -> Iterator[None]:
    """What a host refused is remembered per process: each test starts without that memory."""
    instagram._refused_fields.clear()
    yield
    instagram._refused_fields.clear()


def configure(sandbox: Any, **config: Any) -> None:
    requests.post(f"{sandbox.url}/_sandbox/config", json=config, timeout=10).raise_for_status()


def job(profile: Profile) -> collect.Job:
    assert profile.credential is not None
    return collect.Job(profile=profile, client=profile.credential.graph_client())


def test_it_backfills_an_account_converted_to_business_marking_the_older_media(sandbox, connect) -> None:
    profile = connect("quirks.converted", media=150)
    client = job(profile).client
    timestamps = [
        m["timestamp"] for m in client.get(f"{profile.meta_id}/media", {"fields": "timestamp", "limit": 100})["data"]
    ]
    converted_on = timestamps[60][:10]
    configure(sandbox, converted_to_business={"quirks.converted": converted_on})

    collect.backfill(job(profile))

    profile.refresh_from_db()
    feed = Media.objects.filter(profile=profile)
    assert feed.count() == 150 and profile.backfill_finished_at is not None
    converted_at = datetime.fromisoformat(converted_on).replace(tzinfo=UTC)  # the sandbox's UTC midnight
    before = feed.filter(timestamp__lt=converted_at)
    after = feed.filter(timestamp__gte=converted_at, reach__isnull=False)
    assert before.count() >= 80  # page 1's tail and all of page 2
    assert set(before.values_list("insights_unavailable", flat=True)) == {
        InsightsUnavailable.BEFORE_BUSINESS_CONVERSION
    }
    assert not before.exclude(reach=None).exists() and not before.exclude(total_interactions=None).exists()  # never 0
    captures = MediaInsight.objects.filter(media__in=before)  # likes and comments come from the media fields
    assert not captures.exclude(reach=None, views=None, saved=None, shares=None).exists()
    assert after.count() >= 50 and set(after.values_list("insights_unavailable", flat=True)) == {""}


def test_profile_sync_drops_fields_the_host_refuses_and_remembers_it(sandbox, connect, caplog) -> None:
    configure(sandbox, refused_fields={"graph.instagram.com": ["biography", "website"]})
    profile = connect("ifma.caxias")

    with caplog.at_level(logging.WARNING, logger="meta.instagram"):
        collect.refresh_profile(job(profile))
        sandbox.reset_calls()
        collect.refresh_profile(job(profile))

    profile.refresh_from_db()
    assert profile.username == "ifma.caxias" and profile.followers_count and profile.media_count
    assert (profile.biography, profile.website) == ("", "")
    assert sandbox.calls()["total"] == 1  # the second sync asks without them at once
    refused = [r for r in caplog.records if "does not offer the profile field" in r.getMessage()]
    assert sorted(r.args[1] for r in refused) == ["biography", "website"]  # each logged once


def test_every_unsupported_metric_meta_names_is_known_to_the_client(sandbox, connect) -> None:
    profile = connect("ifma.caxias")
    client = job(profile).client
    media_id = client.get(f"{profile.meta_id}/media", {"fields": "id", "limit": 3})["data"][2]["id"]

    with pytest.raises(UnsupportedMetric) as error:
        client.get(f"{media_id}/insights", {"metric": "reach,impressions,replies,navigation"})

    assert error.value.metrics == ("impressions", "replies", "navigation")


def test_pages_meta_finds_too_large_are_asked_again_at_half_the_size(sandbox, connect) -> None:
    profile = connect("quirks.heavy", media=120)
    configure(sandbox, reduce_data_above=30)

    pages = list(instagram.media_pages(job(profile).client, profile.meta_id))

    assert sum(len(page["data"]) for page in pages) == 120
    assert max(len(page["data"]) for page in pages) == 25  # 100, 50: refused; 25 kept for every page
    assert all("insights" in item for item in pages[-1]["data"])


def test_the_snapshot_keeps_reach_by_surface_and_follower_pairs(sandbox, connect) -> None:
    profile = connect("ifma.caxias")

    account_insights.snapshot(job(profile))

    snapshot = ProfileSnapshot.objects.get(profile=profile)
    surfaces = snapshot.reach_breakdown
    assert surfaces and set(surfaces) <= {"REEL", "POST", "CAROUSEL_CONTAINER", "STORY", "IGTV", "AD",
                                          "AR_EFFECT_PREVIEW"}  # fmt: skip
    assert all(set(split) <= {"FOLLOWER", "NON_FOLLOWER", "UNKNOWN"} for split in surfaces.values())
    assert sum(v for split in surfaces.values() for v in split.values()) == snapshot.reach
    assert snapshot.follows is not None and snapshot.unfollows is not None  # one key of a single breakdown


def test_a_story_seen_by_fewer_than_five_is_stored_as_hidden_not_zero(sandbox, connect) -> None:
    profile = connect("ifma.caxias")

    collector_stories.collect_stories(job(profile))

    stories = Media.objects.filter(profile=profile, media_product_type="STORY")
    hidden = stories.get(insights_unavailable=InsightsUnavailable.BELOW_PRIVACY_FLOOR)
    assert (hidden.reach, hidden.views, hidden.total_interactions) == (None, None, None)
    capture = MediaInsight.objects.get(media=hidden)  # the reading is kept: no values, and why
    assert (capture.reach, capture.views, capture.unavailable) == (None, None, "below_privacy_floor")
    assert stories.filter(insights_unavailable="", reach__gte=5).exists()


def test_an_account_under_100_followers_keeps_its_follow_figures_as_hidden(sandbox, connect, client) -> None:
    requests.post(
        f"{sandbox.url}/_sandbox/accounts", json={"username": "quirks.small", "media": 5, "followers": 80}, timeout=30
    ).raise_for_status()
    profile = connect("quirks.small")

    account_insights.account_history(job(profile))

    snapshots = ProfileSnapshot.objects.filter(profile=profile)
    assert snapshots.count() > 1 and snapshots.get(date=timezone.now().date()).followers_count == 80
    assert {(s.follows, s.unfollows) for s in snapshots} == {(None, None)}
    assert {tuple(sorted(s.suppressed.items())) for s in snapshots} == {(("follows", 100), ("unfollows", 100))}
    member = get_user_model().objects.create_user("quirks-small-member", password="a-long-test-password-1")
    Membership.objects.create(organization=profile.organization, user=member, role=Role.ADMIN)
    client.force_login(member)
    page = client.get(reverse("engagement", args=[profile.pk])).content.decode()
    assert "hidden by Meta below 100 followers" in page
