"""Messages: conversations, threads, and replies only inside Meta's windows: a normal response
within 24 hours, a Human Agent reply a member sends by hand up to 7 days, nothing after."""

import html
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Credential, CredentialStatus
from insights.models import ActionStatus, FailureReason, MessageReply
from tests.insights.conftest import page_text
from tests.waiting import wait_for
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


def _reply(client, profile, conversation, text, window):
    return client.post(reverse("message_reply", args=[profile.pk, conversation.pk]), {"text": text, "window": window})


def test_it_offers_a_normal_reply_within_24_hours_with_a_countdown(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=2)
    text = page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk])))
    assert "qual o horário da secretaria" in text
    assert 'id="window-state" data-window="response"' in text and 'id="message-text"' in text
    assert 'id="window-countdown"' in text and "js/messages.js" in text
    _reply(signed_in, lab.profile, conversation, "Das 8h às 17h.", "response")
    assert MessageReply.objects.get().human_agent is False


def test_it_offers_a_human_agent_reply_between_24_hours_and_7_days(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=30)
    text = page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk])))
    assert 'data-window="human_agent"' in text and 'id="window-human-agent"' in text
    assert "Send as Human Agent" in text and 'id="window-countdown"' in text
    _reply(signed_in, lab.profile, conversation, "Desculpe a demora!", "human_agent")
    assert MessageReply.objects.get().human_agent is True


def test_it_closes_the_composer_after_7_days_with_the_reason(signed_in, lab):
    conversation = _conversation(lab.profile, hours_ago=8 * 24)
    text = page_text(signed_in.get(reverse("conversation", args=[lab.profile.pk, conversation.pk])))
    assert 'data-window="closed"' in text and 'id="window-closed"' in text and 'id="message-text"' not in text
    assert "up to 7 days after it" in html.unescape(text)
    _reply(signed_in, lab.profile, conversation, "Oi", "human_agent")
    assert not MessageReply.objects.exists()


def test_it_refuses_a_reply_sent_from_a_page_that_showed_another_window(signed_in, lab):
    # The page said "response"; 24 hours have passed since: the member must see the Human Agent notice first.
    conversation = _conversation(lab.profile, hours_ago=25)
    response = _reply(signed_in, lab.profile, conversation, "Oi", "response")
    assert not MessageReply.objects.exists()
    text = page_text(signed_in.get(response.url))
    assert "The messaging window changed while you were writing" in html.unescape(text)


def test_the_inbox_names_people_by_username_and_marks_each_window(signed_in, lab):
    _conversation(lab.profile, hours_ago=1)
    _conversation(lab.profile, hours_ago=30, participant_id="6500000000000456", username="joao.silva")
    _conversation(lab.profile, hours_ago=200, participant_id="6500000000000789", username="ana.lima")
    text = page_text(signed_in.get(reverse("messages", args=[lab.profile.pk])))
    assert "@aluna.ifma" in text and "@joao.silva" in text and "qual o horário" in text
    assert "6500000000000123" not in text
    assert text.count('data-window="closed"') == 1 and text.count('data-window="human_agent"') == 1


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
    _reply(signed_in, lab.profile, conversation, "Oi", "response")
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
    _reply(client, sandbox_lab.profile, conversation, "Das 8h às 17h.", "response")
    reply = wait_for(
        lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), what="the message reply"
    )
    assert reply.status == ActionStatus.DONE, reply.error
    assert "POST graph.instagram.com /me/messages" in sandbox.calls()["by_endpoint"]
    sent = Message.objects.get(conversation=conversation, is_echo=True)
    assert (sent.text, sent.mid) == ("Das 8h às 17h.", reply.result_meta_id)
    assert _sent_in_sandbox(sandbox, igsid) == ("RESPONSE", "")
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
    _reply(client, sandbox_lab.profile, conversation, "Olá!", "response")
    reply = wait_for(lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), what="the refusal")
    # Meta's own text stays for the admin and the log; the page says it in our words.
    assert reply.status == ActionStatus.FAILED and "outside of allowed window" in reply.error
    assert reply.failure_reason == FailureReason.WINDOW_CLOSED
    text = html.unescape(page_text(client.get(reverse("conversation", args=[sandbox_lab.profile.pk, conversation.pk]))))
    assert "Instagram refused this message: the 24-hour window has closed." in text
    assert "outside of allowed window" not in text
    Credential.objects.filter(pk=sandbox_lab.profile.credential_id, status=CredentialStatus.ACTIVE).get()


def _sent_in_sandbox(sandbox, igsid):
    """How the app labelled its last message to `igsid`, as Meta (the sandbox) received it."""
    threads = sandbox._call("GET", "messages", params={"account": "ifma.saoluis"})["conversations"]
    sent = [m for t in threads if t["igsid"] == igsid for m in t["messages"] if m["is_echo"]]
    return (sent[-1]["messaging_type"], sent[-1]["tag"]) if sent else None


def _sandbox_thread(sandbox, lab, igsid, hours_ago, our_hours_ago):
    """A person who wrote `hours_ago` (as Meta knows it); our copy has it `our_hours_ago`."""
    arrived = sandbox._call(
        "POST", "messages", json={"account": "ifma.saoluis", "sender_id": igsid, "text": "Oi", "age_hours": hours_ago}
    )
    at = timezone.now() - timedelta(hours=our_hours_ago)
    conversation = Conversation.objects.create(profile=lab.profile, participant_id=igsid, last_message_at=at)
    Message.objects.create(conversation=conversation, mid=arrived["id"], text="Oi", sent_at=at)
    return conversation


def test_a_human_agent_reply_clicked_by_a_member_is_sent_with_metas_tag(client, sandbox, sandbox_lab, celery_worker):
    igsid = "6500000000000991"
    conversation = _sandbox_thread(sandbox, sandbox_lab, igsid, hours_ago=30, our_hours_ago=30)
    client.force_login(sandbox_lab.user)
    _reply(client, sandbox_lab.profile, conversation, "Desculpe a demora! Das 8h às 17h.", "human_agent")
    reply = wait_for(lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), what="the reply")
    assert reply.status == ActionStatus.DONE, reply.error
    assert _sent_in_sandbox(sandbox, igsid) == ("MESSAGE_TAG", "HUMAN_AGENT")
    assert Message.objects.filter(conversation=conversation, is_echo=True, mid=reply.result_meta_id).exists()


def test_meta_refusing_a_human_agent_reply_after_7_days_says_why(client, sandbox, sandbox_lab, celery_worker):
    igsid = "6500000000000992"
    # Meta counts 8 days since the person wrote; our copy (a late sync) believes 6.
    conversation = _sandbox_thread(sandbox, sandbox_lab, igsid, hours_ago=8 * 24, our_hours_ago=6 * 24)
    client.force_login(sandbox_lab.user)
    _reply(client, sandbox_lab.profile, conversation, "Ainda precisa de ajuda?", "human_agent")
    reply = wait_for(lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), what="the refusal")
    assert reply.status == ActionStatus.FAILED and "outside of allowed window" in reply.error
    assert reply.failure_reason == FailureReason.AGENT_WINDOW_CLOSED
    url = reverse("conversation", args=[sandbox_lab.profile.pk, conversation.pk])
    text = html.unescape(page_text(client.get(url, headers={"accept-language": "pt-BR"})))
    assert "O Instagram recusou esta resposta de Agente Humano" in text and "allowed window" not in text
    assert _sent_in_sandbox(sandbox, igsid) is None


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
