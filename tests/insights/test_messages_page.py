"""Messages: conversations, threads, and replies only inside Meta's 24-hour window."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from insights.models import ActionStatus, MessageReply
from tests.insights.conftest import page_text, wait_for
from webhooks.models import Conversation, Message


def _conversation(profile, hours_ago):
    conversation = Conversation.objects.create(
        profile=profile, participant_id="6500000000000123", last_message_at=timezone.now() - timedelta(hours=hours_ago)
    )
    Message.objects.create(
        conversation=conversation, mid="m_in_1", text="Olá, qual o horário da secretaria?",
        sent_at=timezone.now() - timedelta(hours=hours_ago),
    )  # fmt: skip
    return conversation


def test_an_open_window_offers_a_reply_box(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=2)
    text = page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk])))
    assert "qual o horário da secretaria" in text
    assert 'id="window-open"' in text and 'id="message-text"' in text


def test_a_closed_window_refuses_replies(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=30)
    text = page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk])))
    assert 'id="window-closed"' in text and 'id="message-text"' not in text
    signed_in.post(reverse("message_reply", args=[lab.profile.pk, conversation.pk]), {"text": "Oi"})
    assert not MessageReply.objects.exists()


def test_the_inbox_lists_conversations_with_their_last_message(signed_in, lab):
    _conversation(lab.profile, hours_ago=1)
    text = page_text(signed_in.get(reverse("messages", args=[lab.profile.pk])))
    assert "6500000000000123" in text and "qual o horário" in text


def test_a_reply_is_sent_through_the_send_api(client, sandbox, sandbox_lab, celery_worker):
    igsid = "6500000000000777"
    arrived = sandbox._call(
        "POST", "messages", json={"account": "ifma.saoluis", "sender_id": igsid, "text": "Qual o horário?"}
    )
    conversation = Conversation.objects.create(
        profile=sandbox_lab.profile, participant_id=igsid, last_message_at=timezone.now()
    )
    Message.objects.create(conversation=conversation, mid=arrived["id"], text="Qual o horário?", sent_at=timezone.now())
    client.force_login(sandbox_lab.user)
    client.post(reverse("message_reply", args=[sandbox_lab.profile.pk, conversation.pk]), {"text": "Das 8h às 17h."})
    reply = wait_for(
        lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), what="the message reply"
    )
    assert reply.status == ActionStatus.DONE, reply.error
    assert "POST graph.instagram.com /me/messages" in sandbox.calls()["by_endpoint"]
    sent = Message.objects.get(conversation=conversation, is_echo=True)
    assert (sent.text, sent.mid) == ("Das 8h às 17h.", reply.result_meta_id)
    text = page_text(client.get(reverse("conversation", args=[sandbox_lab.profile.pk, conversation.pk])))
    assert "Das 8h às 17h." in text


def test_meta_refusing_outside_the_window_marks_the_reply_failed(client, sandbox, sandbox_lab, celery_worker):
    igsid = "6500000000000888"
    arrived = sandbox._call(
        "POST", "messages", json={"account": "ifma.saoluis", "sender_id": igsid, "text": "Oi", "age_hours": 30}
    )
    conversation = Conversation.objects.create(profile=sandbox_lab.profile, participant_id=igsid)
    # Our copy believes the window is open (a late webhook); Meta knows better.
    Message.objects.create(conversation=conversation, mid=arrived["id"], text="Oi", sent_at=timezone.now())
    client.force_login(sandbox_lab.user)
    client.post(reverse("message_reply", args=[sandbox_lab.profile.pk, conversation.pk]), {"text": "Olá!"})
    reply = wait_for(lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), what="the refusal")
    assert reply.status == ActionStatus.FAILED and "outside of allowed window" in reply.error
    text = page_text(client.get(reverse("conversation", args=[sandbox_lab.profile.pk, conversation.pk])))
    assert "Meta refused:" in text
