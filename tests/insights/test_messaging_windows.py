"""Meta's three messaging windows at their edges, counted from the person's last message only: a normal
response under 24 hours, a Human Agent reply under 7 days, nothing after (insights.messaging.Window).
The pages and the sandbox's refusals are tested in test_messages_page.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from insights import messaging
from insights.messaging import CLOSED, HUMAN_AGENT, RESPONSE, Window
from insights.models import ActionStatus, FailureReason, MessageReply
from meta.errors import OutsideMessagingWindow
from tests.insights.builders import account
from webhooks.models import Conversation, Message

MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("age", "kind"),
    [
        (timedelta(hours=24) - MINUTE, RESPONSE),
        (timedelta(hours=24) + MINUTE, HUMAN_AGENT),
        (timedelta(days=7) - MINUTE, HUMAN_AGENT),
        (timedelta(days=7) + MINUTE, CLOSED),
    ],
)
def test_each_window_ends_where_meta_ends_it(age: timedelta, kind: str) -> None:
    window = Window(timezone.now() - age)
    assert window.kind == kind
    assert window.is_open is (kind != CLOSED)


def test_the_countdown_runs_to_the_end_of_the_window_that_applies() -> None:
    wrote = timezone.now() - timedelta(hours=30)
    assert Window(wrote).closes_at == wrote + timedelta(days=7)
    wrote = timezone.now() - timedelta(hours=2)
    assert Window(wrote).closes_at == wrote + timedelta(hours=24)


def test_a_person_who_never_wrote_cannot_be_messaged() -> None:
    assert Window(None).kind == CLOSED and Window(None).closes_at is None


@pytest.mark.django_db
def test_our_own_later_reply_does_not_reopen_the_window() -> None:
    lab = account("ifma.saoluis")
    conversation = Conversation.objects.create(profile=lab.profile, participant_id="6500000000000555")
    now = timezone.now()
    Message.objects.create(conversation=conversation, mid="m_in", text="Oi", sent_at=now - timedelta(hours=30))
    Message.objects.create(conversation=conversation, mid="m_out", text="Olá!", sent_at=now - MINUTE, is_echo=True)
    assert messaging.window(conversation).kind == HUMAN_AGENT
    Message.objects.create(conversation=conversation, mid="m_in_2", text="Obrigada", sent_at=now - MINUTE)
    assert messaging.window(conversation).kind == RESPONSE


@pytest.mark.django_db
def test_a_refused_human_agent_reply_is_never_seen_with_the_24_hour_reason() -> None:
    lab = account("ifma.saoluis")
    conversation = Conversation.objects.create(profile=lab.profile, participant_id="6500000000000556")
    reply = MessageReply.objects.create(conversation=conversation, text="Ainda precisa de ajuda?", human_agent=True)
    seen: list[tuple[str, str]] = []

    def read_back(instance: MessageReply, **kwargs: object) -> None:
        row = MessageReply.objects.get(pk=instance.pk)
        seen.append((row.status, row.failure_reason))

    post_save.connect(read_back, sender=MessageReply)
    try:
        reply.refused(OutsideMessagingWindow("(#10) This message is sent outside of allowed window.", code=10))
    finally:
        post_save.disconnect(read_back, sender=MessageReply)
    # What a page polling the reply reads after each write the refusal makes.
    assert seen == [(ActionStatus.FAILED, FailureReason.AGENT_WINDOW_CLOSED)]
