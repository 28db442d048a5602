"""Messages: conversations, threads, and replies only inside Meta's 24-hour window."""

import html
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Credential, CredentialStatus
from insights.models import ActionStatus, FailureReason, MessageReply
from tests.insights.conftest import page_text, wait_for
from webhooks.models import Conversation, Message


def _conversation(profile, hours_ago, participant_id="6500000000000123", username="aluna.ifma"):
    conversation = Conversation.objects.create(
        profile=profile, participant_id=participant_id, participant_username=username,
        last_message_at=timezone.now() - timedelta(hours=hours_ago),
    )  # fmt: skip
    Message.objects.create(
        conversation=conversation, mid=f"m_in_{participant_id}", text="Olá, qual o horário da secretaria?",
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


def test_the_inbox_names_people_by_username_and_marks_closed_windows(signed_in, lab):
    _conversation(lab.profile, hours_ago=1)
    _conversation(lab.profile, hours_ago=30, participant_id="6500000000000456", username="joao.silva")
    text = page_text(signed_in.get(reverse("messages", args=[lab.profile.pk])))
    assert "@aluna.ifma" in text and "@joao.silva" in text and "qual o horário" in text
    assert "6500000000000123" not in text
    assert text.count('data-window="closed"') == 1


def test_a_conversation_not_yet_named_by_meta_shows_the_instagram_scoped_id(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=1, username="")
    text = page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk])))
    assert "Conversation with 6500000000000123" in text


def test_a_dead_token_disables_the_reply_box_with_the_reason_and_shows_one_banner(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=2)
    Credential.objects.filter(pk=lab.profile.credential_id).update(status=CredentialStatus.NEEDS_RECONNECT)
    text = html.unescape(page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk]))))
    assert 'id="window-open"' not in text and 'id="reply-blocked"' in text
    assert "Replies are off until the account's connection is renewed" in text
    assert '<textarea id="message-text" name="text" disabled' in text
    assert text.count("Reconnect</button>") == 1
    signed_in.post(reverse("message_reply", args=[lab.profile.pk, conversation.pk]), {"text": "Oi"})
    assert not MessageReply.objects.exists()


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
    # Meta's own text stays for the admin and the log; the page says it in our words.
    assert reply.status == ActionStatus.FAILED and "outside of allowed window" in reply.error
    assert reply.failure_reason == FailureReason.WINDOW_CLOSED
    text = html.unescape(page_text(client.get(reverse("conversation", args=[sandbox_lab.profile.pk, conversation.pk]))))
    assert "Instagram refused this message: the 24-hour window has closed." in text
    assert "outside of allowed window" not in text
    Credential.objects.filter(pk=sandbox_lab.profile.credential_id, status=CredentialStatus.ACTIVE).get()


def test_a_rate_limited_reply_says_so_in_portuguese(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=1)
    reply = MessageReply.objects.create(conversation=conversation, text="Olá!")
    reply.finish(error="(#4) Application request limit reached (code 4)", reason=FailureReason.RATE_LIMITED)
    url = reverse("conversation", args=[lab.profile.pk, conversation.pk])
    text = html.unescape(page_text(signed_in.get(url, headers={"accept-language": "pt-BR"})))
    assert "A Meta está limitando as requisições desta conta; tente de novo em alguns minutos." in text
    assert "Application request limit" not in text


def test_the_admin_keeps_metas_own_words_for_a_refusal(admin_client, lab):
    conversation = _conversation(lab.profile, hours_ago=1)
    reply = MessageReply.objects.create(conversation=conversation, text="Olá!")
    reply.finish(error="(#4) Application request limit reached (code 4)", reason=FailureReason.RATE_LIMITED)
    text = page_text(admin_client.get(reverse("admin:insights_messagereply_changelist")))
    assert "(#4) Application request limit reached" in text
