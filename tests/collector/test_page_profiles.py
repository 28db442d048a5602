"""A connected Facebook Page is collected like an Instagram account: its details and picture,
its posts with their insights, and its daily Page insights; what a missing permission withholds
is recorded, and the rest still arrives."""

from __future__ import annotations

from typing import Any

from accounts.models import Credential, CredentialKind, Organization
from collector.models import Media, Platform, Profile, ProfileSnapshot, RunOutcome
from collector.tasks import backfill_profile, snapshot_profile, sync_profile

PAGE_ID = "20000000000000001"
WITHOUT_INSIGHTS = ["pages_show_list", "pages_read_engagement", "pages_manage_metadata"]


def connect_page(sandbox: Any, scopes: list[str] | None = None) -> Profile:
    """The seeded Page connected with its Page token, as accounts.connect stores it."""
    options = {"scopes": scopes} if scopes else {}
    minted = sandbox.mint_token("facebook", PAGE_ID, **options)
    organization = Organization.objects.create(name="Campus")
    credential = Credential(
        organization=organization, kind=CredentialKind.PAGE, meta_user_id=str(minted["user_id"]), subject_id=PAGE_ID
    )
    credential.token = minted["page_access_token"]
    credential.save()
    return Profile.objects.create(
        organization=organization, credential=credential, platform=Platform.FACEBOOK_PAGE, meta_id=PAGE_ID
    )


def test_a_page_sync_stores_its_details_picture_and_collection_time(sandbox, transactional_db, workers) -> None:
    workers(1)
    profile = connect_page(sandbox)

    assert sync_profile.delay(profile.pk).get(timeout=60) == RunOutcome.OK

    profile.refresh_from_db()
    assert profile.name.startswith("IFMA Campus")
    assert profile.username == "ifma.saoluis"
    assert profile.account_type == "College & University"
    assert profile.followers_count and profile.followers_count > 0
    assert profile.picture_url.endswith(".jpg")
    assert profile.last_collected_at is not None


def test_it_backfills_every_post_with_its_insights_and_90_days_of_page_insights(
    sandbox, transactional_db, workers
) -> None:
    workers(1)
    profile = connect_page(sandbox)

    assert backfill_profile.delay(profile.pk).get(timeout=120) == RunOutcome.OK

    profile.refresh_from_db()
    posts = Media.objects.filter(profile=profile, is_deleted=False)
    assert posts.count() == profile.media_count == 240
    assert profile.backfill_finished_at is not None and profile.backfill_percent == 100
    newest = posts.order_by("-timestamp").first()
    assert newest.caption and newest.permalink and newest.like_count is not None
    assert newest.reach and newest.views and newest.views >= newest.reach
    assert newest.total_interactions == newest.like_count + newest.comments_count + newest.shares
    assert newest.insights.count() == 1  # the capture of its reading
    days = ProfileSnapshot.objects.filter(profile=profile, reach__isnull=False)
    assert 88 <= days.count() <= 90
    assert all(day.views and day.followers_count and day.follows is not None for day in days)
    assert profile.unavailable == {}  # nothing withheld: the badge can say "Up to date"


def test_without_read_insights_posts_still_arrive_and_the_missing_part_is_recorded(
    sandbox, transactional_db, workers
) -> None:
    workers(1)
    profile = connect_page(sandbox, scopes=WITHOUT_INSIGHTS)

    assert backfill_profile.delay(profile.pk).get(timeout=120) == RunOutcome.OK
    assert snapshot_profile.delay(profile.pk).get(timeout=60) == RunOutcome.OK

    profile.refresh_from_db()
    assert profile.unavailable == {"post_insights": "read_insights", "page_insights": "read_insights"}
    assert profile.credential.is_usable  # not a dead token: nothing to reconnect for the rest
    posts = Media.objects.filter(profile=profile)
    assert posts.count() == 240
    assert posts.filter(reach__isnull=False).count() == 0 and posts.filter(like_count__gt=0).exists()
    today = ProfileSnapshot.objects.get(profile=profile, reach__isnull=True)
    assert today.followers_count == profile.followers_count
