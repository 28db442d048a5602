"""Day one's inbox: connecting an account reads its Instagram conversations from Meta, with the
people's usernames, and a webhook from someone new is named as soon as Meta is asked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import CredentialStatus
from collector.models import Profile
from tests.sandbox_process import connect_through_login
from tests.waiting import wait_for
from webhooks.models import Conversation, Message
from webhooks.tasks import sync_conversations

SEEDED_CONVERSATIONS = 8  # docs/sandbox.md: eight DM threads per seeded account


def connect(sandbox: Any, django_user_model: Any, login: str) -> Profile:
    person = django_user_model.objects.create_user(f"pesquisadora-{login}")
    return connect_through_login(sandbox.url, person, login)


def seeded_threads(sandbox: Any) -> dict[str, dict[str, Any]]:
    """The sandbox's own view of the account's conversations, by the person's username."""
    listing = sandbox._call("GET", "messages", params={"account": "ifma.saoluis"})["conversations"]
    return {conversation["user_username"]: conversation for conversation in listing}


def assert_inbox_read(profile: Profile, sandbox: Any) -> None:
    named = wait_for(
        lambda: Conversation.objects.filter(profile=profile).exclude(participant_username="").count()
        >= SEEDED_CONVERSATIONS,
        timeout=15,
        what="the eight conversations with usernames",
    )
    assert named
    expected = seeded_threads(sandbox)
    ours = {c.participant_username: c for c in Conversation.objects.filter(profile=profile)}
    assert set(ours) == set(expected)
    day_ago = timezone.now() - timedelta(hours=24)
    closed = [name for name, thread in expected.items() if not thread["window_open"]]
    assert closed, "the sandbox holds conversations outside the window"
    for name, thread in expected.items():
        conversation = ours[name]
        assert conversation.participant_id == thread["igsid"]
        messages = list(conversation.messages.order_by("sent_at"))
        assert [m.text for m in messages] == [m["text"] for m in thread["messages"]]
        assert [m.is_echo for m in messages] == [m["is_echo"] for m in thread["messages"]]
        last_inbound = max(m.sent_at for m in messages if not m.is_echo)
        assert (last_inbound < day_ago) == (name in closed)


def test_connecting_with_instagram_login_reads_the_inbox_with_usernames(
    sandbox: Any, celery_worker: None, django_user_model: Any
) -> None:
    profile = connect(sandbox, django_user_model, "instagram")

    assert_inbox_read(profile, sandbox)
    calls = sandbox.calls()["by_endpoint"]
    assert calls.get("GET graph.instagram.com /me/conversations")


def test_connecting_with_facebook_login_reads_the_inbox_through_the_page(
    sandbox: Any, celery_worker: None, django_user_model: Any
) -> None:
    profile = connect(sandbox, django_user_model, "facebook")

    assert_inbox_read(profile, sandbox)
    calls = sandbox.calls()["by_endpoint"]
    assert calls.get("GET graph.facebook.com /{page-id}/conversations")


def test_a_second_read_changes_nothing_and_keeps_webhook_messages(
    sandbox: Any, django_user_model: Any, db: None
) -> None:
    profile = connect(sandbox, django_user_model, "instagram")
    sync_conversations(profile.pk)
    conversation = Conversation.objects.filter(profile=profile).first()
    Message.objects.create(conversation=conversation, mid="m_webhook_only", text="Oi!", sent_at=timezone.now())
    before = Message.objects.filter(conversation__profile=profile).count()

    assert sync_conversations(profile.pk) == SEEDED_CONVERSATIONS
    assert Message.objects.filter(conversation__profile=profile).count() == before
    assert Conversation.objects.filter(profile=profile).count() == SEEDED_CONVERSATIONS


def test_a_message_webhook_from_someone_new_gets_their_username(
    sandbox: Any, celery_worker: None, live_server: Any, django_user_model: Any
) -> None:
    profile = connect(sandbox, django_user_model, "instagram")
    wait_for(lambda: Conversation.objects.filter(profile=profile).count() >= SEEDED_CONVERSATIONS, what="the inbox")

    sent = sandbox.send_webhook(target=f"{live_server.url}/webhooks/meta/", event="messages", account="ifma.saoluis")
    assert sent["status"] == 200
    arrived = wait_for(
        lambda: Conversation.objects.filter(profile=profile).exclude(participant_username="").count()
        > SEEDED_CONVERSATIONS,
        what="the new person's username",
    )
    assert arrived
    newest = Conversation.objects.filter(profile=profile).order_by("-created_at").first()
    assert newest.participant_username in seeded_threads(sandbox)


def test_a_dead_token_found_while_reading_asks_for_a_reconnect(sandbox: Any, django_user_model: Any, db: None) -> None:
    profile = connect(sandbox, django_user_model, "instagram")
    sandbox.fail(token=profile.credential.token, mode="revoked")

    assert sync_conversations(profile.pk) == 0
    profile.credential.refresh_from_db()
    assert profile.credential.status == CredentialStatus.NEEDS_RECONNECT
