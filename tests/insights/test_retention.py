"""Retention (insights.retention): each organisation's periods delete what other people sent once it is
older, and nothing else: newer rows, other organisations, a thread's head with a newer reply, the
deliveries still waiting to be processed, posts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import Membership, Role
from collector.models import Comment, Media, Profile
from insights.models import MessageReply
from insights.retention import apply_retention
from tests.insights.builders import Account, account
from webhooks.models import Conversation, EventStatus, Message, WebhookEvent

pytestmark = pytest.mark.django_db


def days_old(days: float) -> Any:
    return timezone.now() - timedelta(days=days)


def delivery(profile: Profile | None, age: float, status: str = EventStatus.PROCESSED) -> WebhookEvent:
    return WebhookEvent.objects.create(
        profile=profile, object="instagram", body="{}", status=status, received_at=days_old(age)
    )


def comment(media: Media, meta_id: str, age: float, parent: Comment | None = None) -> Comment:
    return Comment.objects.create(
        profile=media.profile, media=media, parent=parent, meta_id=meta_id, text=meta_id, timestamp=days_old(age)
    )


def message(conversation: Conversation, mid: str, age: float, *, echo: bool = False) -> Message:
    return Message.objects.create(conversation=conversation, mid=mid, text=mid, is_echo=echo, sent_at=days_old(age))


def post(profile: Profile, age: float) -> Media:
    return Media.objects.create(profile=profile, meta_id=f"m-{profile.pk}", timestamp=days_old(age))


def lab(username: str, *, webhook: int = 30, messages: int = 365, comments: int = 730) -> Account:
    lab = account(username)
    lab.organization.webhook_body_retention_days = webhook
    lab.organization.message_retention_days = messages
    lab.organization.comment_retention_days = comments
    lab.organization.save()
    return lab


def test_it_deletes_deliveries_older_than_the_period_but_not_those_waiting_nor_newer_ones() -> None:
    mine, theirs = lab("ifma.saoluis", webhook=7), lab("ifma.caxias", webhook=30)
    old, waiting, recent = (
        delivery(mine.profile, 8),
        delivery(mine.profile, 8, EventStatus.RECEIVED),
        delivery(mine.profile, 6),
    )
    other_org = delivery(theirs.profile, 8)
    unrouted_old, unrouted_recent = delivery(None, 31), delivery(None, 29)

    apply_retention()

    kept = set(WebhookEvent.objects.values_list("pk", flat=True))
    assert kept == {waiting.pk, recent.pk, other_org.pk, unrouted_recent.pk}
    assert old.pk not in kept and unrouted_old.pk not in kept


def test_it_deletes_old_messages_both_ways_and_empties_conversations_only() -> None:
    mine, theirs = lab("ifma.saoluis", messages=30), lab("ifma.caxias", messages=365)
    quiet = Conversation.objects.create(profile=mine.profile, participant_id="1", last_message_at=days_old(40))
    message(quiet, "q-them", 41)
    message(quiet, "q-us", 40, echo=True)
    MessageReply.objects.create(conversation=quiet, text="q-reply", created_at=days_old(40))
    active = Conversation.objects.create(profile=mine.profile, participant_id="2", last_message_at=days_old(1))
    message(active, "a-old", 45)
    message(active, "a-new", 1)
    MessageReply.objects.create(conversation=active, text="a-reply", created_at=days_old(2))
    other = Conversation.objects.create(profile=theirs.profile, participant_id="1", last_message_at=days_old(40))
    message(other, "o-old", 40)

    apply_retention()

    assert not Conversation.objects.filter(pk=quiet.pk).exists()
    assert set(Message.objects.values_list("mid", flat=True)) == {"a-new", "o-old"}
    assert list(MessageReply.objects.values_list("text", flat=True)) == ["a-reply"]


def test_it_deletes_old_comments_and_replies_but_keeps_a_thread_with_a_newer_reply() -> None:
    mine, theirs = lab("ifma.saoluis", comments=90), lab("ifma.caxias", comments=730)
    media = post(mine.profile, 400)
    old_thread = comment(media, "old-head", 100)
    comment(media, "old-our-reply", 99, parent=old_thread)
    lively = comment(media, "lively-head", 120)
    comment(media, "lively-old-reply", 110, parent=lively)
    comment(media, "lively-new-reply", 5, parent=lively)
    comment(media, "recent", 10)
    comment(post(theirs.profile, 400), "other-org", 100)

    apply_retention()

    kept = set(Comment.objects.values_list("meta_id", flat=True))
    assert kept == {"lively-head", "lively-new-reply", "recent", "other-org"}
    assert Media.objects.filter(pk=media.pk).exists(), "the account's own posts are not touched"


def test_the_nightly_beat_schedule_runs_it() -> None:
    task = PeriodicTask.objects.get(task="insights.retention.apply_retention")
    assert task.enabled and task.crontab is not None


def test_an_admin_changes_the_periods_on_the_organization_page_and_a_viewer_cannot(client: Any) -> None:
    mine = account("ifma.saoluis", role=Role.ADMIN)
    url = reverse("accounts:change_retention", args=[mine.organization.pk])
    client.force_login(mine.user)
    page = client.get(reverse("accounts:organization", args=[mine.organization.pk])).content.decode()
    assert 'id="retention-form"' in page and 'value="365"' in page
    periods = {"webhook_body_retention_days": 7, "message_retention_days": 90, "comment_retention_days": 180}
    client.post(url, periods)
    mine.organization.refresh_from_db()
    assert mine.organization.message_retention_days == 90 and mine.organization.webhook_body_retention_days == 7

    viewer = account("someone.else").user
    Membership.objects.create(organization=mine.organization, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.post(url, {**periods, "message_retention_days": 1}).status_code == 403
    mine.organization.refresh_from_db()
    assert mine.organization.message_retention_days == 90
