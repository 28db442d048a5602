"""Every example payload of Meta's webhook reference, signed, leaves its mark in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from collector.models import Comment, CommentSource, Media, MediaInsight, Mention, Profile
from webhooks.models import Conversation, EventStatus, Message, WebhookEvent

from .conftest import deliver, fixture_body, post_signed, process_stored

pytestmark = pytest.mark.django_db


def test_an_instagram_login_comment_in_the_flat_shape_is_stored(client: Client, profile: Profile) -> None:
    deliver(client, "comments_instagram_login_flat")
    comment = Comment.objects.get(meta_id="17867301270523379")
    assert (comment.profile, comment.username, comment.text) == (profile, "someone", "LINK")
    assert comment.author_id == "848067418322071"
    assert comment.source == CommentSource.WEBHOOK
    assert comment.media.meta_id == "18050310947722369"
    assert comment.timestamp == datetime.fromtimestamp(1776339591, UTC)
    profile.refresh_from_db()
    assert profile.last_webhook_at is not None
    assert WebhookEvent.objects.get().status == EventStatus.PROCESSED


def test_an_instagram_login_comment_in_the_changes_shape_is_stored(client: Client, profile: Profile) -> None:
    deliver(client, "comments_instagram_login_changes")
    assert Comment.objects.get(meta_id="17867301270523380").text == "Que lindo o campus!"


def test_a_facebook_login_reply_is_threaded_under_its_parent(client: Client, profile: Profile) -> None:
    deliver(client, "comments_instagram_login_flat", "comments_facebook_login_reply")
    reply = Comment.objects.get(meta_id="17865799348089039")
    assert reply.parent is not None and reply.parent.meta_id == "17867301270523379"
    assert reply.text == "This is an example."


def test_a_comment_named_by_comment_id_is_stored(client: Client, profile: Profile) -> None:
    deliver(client, "comments_examples_page_comment_id")
    assert Comment.objects.get(meta_id="17865799348089040").username == "exemplo"


def test_a_comment_on_unknown_media_creates_a_placeholder_and_queues_a_sync(client: Client, profile: Profile) -> None:
    deliver(client, "comments_instagram_login_flat")
    media = Media.objects.get(profile=profile, meta_id="18050310947722369")
    assert media.raw.get("placeholder")
    assert WebhookEvent.objects.get().report["syncs_queued"] == [profile.pk]


def test_a_comment_on_known_media_joins_it_without_a_sync(client: Client, profile: Profile) -> None:
    Media.objects.create(
        profile=profile, meta_id="18050310947722369", timestamp=datetime(2026, 4, 1, tzinfo=UTC), caption="Aula"
    )
    deliver(client, "comments_instagram_login_flat")
    assert Comment.objects.get().media.caption == "Aula"
    assert Media.objects.count() == 1
    assert WebhookEvent.objects.get().report["syncs_queued"] == []


def test_a_live_comment_is_stored(client: Client, profile: Profile) -> None:
    deliver(client, "live_comments")
    assert Comment.objects.get(meta_id="17867301270529999").text == "Boa noite da live!"


def test_mentions_in_media_and_in_comments_are_recorded(client: Client, profile: Profile) -> None:
    deliver(client, "mentions_in_media", "mentions_in_comment")
    assert set(Mention.objects.filter(profile=profile).values_list("media_id", "comment_id")) == {
        ("18060000000000001", ""),
        ("18060000000000002", "17870000000000002"),
    }


def test_story_insights_become_the_story_s_final_metrics(client: Client, profile: Profile) -> None:
    deliver(client, "story_insights")
    insight = MediaInsight.objects.get(media__meta_id="18070000000000001")
    assert insight.media.media_product_type == "STORY"
    assert (insight.reach, insight.navigation) == (44, 10)
    assert insight.navigation_breakdown == {"tap_forward": 4, "tap_back": 3, "tap_exit": 3}
    assert insight.replies is None  # Meta's -1: too few viewers to report
    assert insight.suppressed == {"replies": 5}  # shown as "hidden by Meta below 5", never as 0
    assert insight.media.reach == 44


def test_messages_with_text_attachments_echoes_reactions_reads_and_edits(client: Client, profile: Profile) -> None:
    deliver(client, "messages_text", "messages_attachment", "messages_echo")
    conversation = Conversation.objects.get(profile=profile)
    assert conversation.participant_id == "6543210987654321"
    first, picture, answer = conversation.messages.order_by("sent_at")
    assert (first.text, first.is_echo) == ("hi", False)
    assert picture.attachments[0]["type"] == "image" and picture.reply_to == first.mid
    assert (answer.text, answer.is_echo) == ("Olá! Como podemos ajudar?", True)

    deliver(client, "message_reactions", "messaging_seen", "message_edit")
    answer.refresh_from_db()
    first.refresh_from_db()
    assert answer.reaction == "\u2764\ufe0f"
    assert answer.read_at is not None
    assert (first.text, first.edit_count) == ("hi, corrected", 1)
    assert Message.objects.count() == 3


def test_page_feed_comments_are_added_edited_hidden_unhidden_and_removed(
    client: Client, page_profile: Profile
) -> None:
    deliver(client, "feed_comment_add")
    comment = Comment.objects.get(profile=page_profile, meta_id="700000000000001_800000000000001")
    assert (comment.username, comment.text, comment.parent) == ("Maria Silva", "Parabéns ao campus!", None)
    assert comment.media.meta_id == "20000000000000001_700000000000001"

    deliver(client, "feed_comment_edited")
    comment.refresh_from_db()
    assert comment.text == "Parabéns ao campus! (editado)"
    deliver(client, "feed_comment_hide")
    comment.refresh_from_db()
    assert comment.hidden
    deliver(client, "feed_comment_unhide")
    comment.refresh_from_db()
    assert not comment.hidden
    deliver(client, "feed_comment_remove")
    comment.refresh_from_db()
    assert comment.is_deleted
    assert Comment.objects.count() == 1


def test_feed_events_from_the_page_itself_are_dropped(client: Client, page_profile: Profile) -> None:
    deliver(client, "feed_comment_from_page")
    assert not Comment.objects.exists()
    assert "feed event from the Page itself" in WebhookEvent.objects.get().report["ignored"]


def test_an_unknown_field_is_kept_and_reported_not_an_error(client: Client, profile: Profile) -> None:
    deliver(client, "unknown_field")
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.UNHANDLED
    assert event.report["unhandled"] == {"story_reshares": 1}
    assert event.field_list == ["story_reshares"]


def test_a_delivery_for_an_account_nobody_connected_is_kept_and_noted(client: Client) -> None:
    deliver(client, "comments_instagram_login_flat")
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.PROCESSED
    assert event.report["ignored"] == ["no profile for instagram 17841400000000001"]
    assert not Comment.objects.exists()


def test_every_organization_that_connected_the_account_gets_the_comment(
    client: Client, profile: Profile, django_user_model: object
) -> None:
    from accounts.models import Organization

    other = Profile.objects.create(
        organization=Organization.objects.create(name="Outra org"),
        platform=profile.platform,
        meta_id=profile.meta_id,
    )
    deliver(client, "comments_instagram_login_flat")
    assert set(Comment.objects.values_list("profile", flat=True)) == {profile.pk, other.pk}


def test_a_delivery_sent_three_times_makes_one_comment(client: Client, profile: Profile) -> None:
    body = fixture_body("comments_instagram_login_flat")
    for _ in range(3):
        assert post_signed(client, body).status_code == 200
    assert process_stored() == ["processed"] * 3
    assert Comment.objects.count() == 1
    assert WebhookEvent.objects.count() == 3
