"""A profile is flagged "webhooks not arriving" when polling stored comments that were made after it
was connected and that webhooks should long have delivered; the flag clears when comment webhooks
arrive again and polling finds nothing missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from collector.gaps import DataGap, GapReason
from collector.models import Comment, CommentSource, Media, Profile
from webhooks.tasks import check_webhooks_arriving

from .conftest import deliver

pytestmark = pytest.mark.django_db

MEDIA_ID = "18050310947722369"  # the media of the comments_instagram_login_flat fixture


@pytest.fixture
def media(profile: Profile) -> Media:
    return Media.objects.create(profile=profile, meta_id=MEDIA_ID, timestamp=datetime(2026, 4, 1, tzinfo=UTC))


def connected_an_hour_ago(profile: Profile) -> None:
    Profile.objects.filter(pk=profile.pk).update(created_at=timezone.now() - timedelta(hours=1))


def polled(media: Media, meta_id: str, made_minutes_ago: float) -> Comment:
    """A comment a poll stores now, made on Meta that many minutes ago."""
    return Comment.objects.create(
        profile=media.profile,
        media=media,
        meta_id=meta_id,
        text="Qual o horário da matrícula?",
        timestamp=timezone.now() - timedelta(minutes=made_minutes_ago),
        source=CommentSource.POLL,
    )


def flagged(profile: Profile) -> bool:
    profile.refresh_from_db()
    return profile.webhooks_missing


def test_a_comment_made_after_connecting_that_only_polling_found_flags_the_profile(
    profile: Profile, media: Media
) -> None:
    connected_an_hour_ago(profile)
    polled(media, "17900000000000001", made_minutes_ago=10)

    assert check_webhooks_arriving() == 1
    assert flagged(profile)


def test_a_comment_a_webhook_delivered_does_not_flag_the_profile(
    client: Client, profile: Profile, media: Media
) -> None:
    connected_an_hour_ago(profile)
    deliver(client, "comments_instagram_login_flat")
    assert Comment.objects.get(profile=profile).source == CommentSource.WEBHOOK

    assert check_webhooks_arriving() == 0
    assert not flagged(profile)


def test_partial_delivery_flags_the_profile(client: Client, profile: Profile, media: Media) -> None:
    connected_an_hour_ago(profile)
    deliver(client, "comments_instagram_login_flat")  # this one arrived by webhook...
    polled(media, "17900000000000002", made_minutes_ago=10)  # ...this one only polling found

    assert check_webhooks_arriving() == 1
    assert flagged(profile)


def test_comments_made_before_connecting_found_by_the_first_poll_do_not_flag(profile: Profile, media: Media) -> None:
    for number, days in enumerate((2, 30, 400)):
        polled(media, f"1790000000000010{number}", made_minutes_ago=days * 24 * 60)

    assert check_webhooks_arriving() == 0
    assert not flagged(profile)


def test_a_comment_polling_found_before_its_webhook_was_due_does_not_flag(profile: Profile, media: Media) -> None:
    connected_an_hour_ago(profile)
    polled(media, "17900000000000003", made_minutes_ago=1)  # the poll ran just before the webhook came

    assert check_webhooks_arriving() == 0
    assert not flagged(profile)


def test_a_polled_comment_deleted_since_does_not_flag(profile: Profile, media: Media) -> None:
    connected_an_hour_ago(profile)
    comment = polled(media, "17900000000000005", made_minutes_ago=10)
    Comment.objects.filter(pk=comment.pk).update(is_deleted=True)

    assert check_webhooks_arriving() == 0
    assert not flagged(profile)


def test_the_flag_clears_when_webhooks_arrive_again_and_polling_finds_nothing_missed(
    client: Client, profile: Profile, media: Media
) -> None:
    connected_an_hour_ago(profile)
    polled(media, "17900000000000004", made_minutes_ago=10)
    assert check_webhooks_arriving() == 1

    assert check_webhooks_arriving() == 1  # nothing arrived at all: no sign that webhooks work again
    assert flagged(profile)

    deliver(client, "comments_instagram_login_flat")
    assert check_webhooks_arriving() == 0
    assert not flagged(profile)
    # The ledger kept one webhooks-missing gap from the first check that found the miss, now closed.
    gap = DataGap.objects.get(profile=profile)
    assert gap.reason == GapReason.WEBHOOKS_MISSING and gap.ended_at is not None


def test_a_quiet_profile_is_not_flagged(profile: Profile, media: Media) -> None:
    connected_an_hour_ago(profile)
    check_webhooks_arriving()
    assert check_webhooks_arriving() == 0
    assert not flagged(profile)


FIXTURE_COMMENT_TIME = datetime.fromtimestamp(1776339591, tz=UTC)  # entry.time of comments_instagram_login_flat


def flagged_by_a_miss_made_at(profile: Profile, media: Media, made_at: datetime) -> None:
    Profile.objects.filter(pk=profile.pk).update(created_at=made_at - timedelta(days=1))
    profile.refresh_from_db()
    comment = polled(media, "17900000000000006", made_minutes_ago=0)
    Comment.objects.filter(pk=comment.pk).update(timestamp=made_at)
    assert check_webhooks_arriving() == 1


def test_a_webhook_comment_clears_the_flag_at_once_and_the_live_data_says_so(
    client: Client, profile: Profile, media: Media, member: object
) -> None:
    flagged_by_a_miss_made_at(profile, media, FIXTURE_COMMENT_TIME - timedelta(hours=2))

    deliver(client, "comments_instagram_login_flat")  # newer than the miss: webhooks work again

    assert not flagged(profile)
    assert not DataGap.objects.filter(profile=profile, reason=GapReason.WEBHOOKS_MISSING).open().exists()
    client.force_login(member)
    assert client.get(f"/profiles/{profile.pk}/comments/live").json()["webhooks_missing"] is False
    assert check_webhooks_arriving() == 0  # the miss it outlived does not raise the flag again


def test_a_webhook_comment_older_than_the_miss_leaves_the_flag_up(
    client: Client, profile: Profile, media: Media
) -> None:
    flagged_by_a_miss_made_at(profile, media, FIXTURE_COMMENT_TIME + timedelta(hours=2))

    deliver(client, "comments_instagram_login_flat")

    assert flagged(profile)
