"""The messages page in chromium, in Portuguese, minutes after connecting: the account's
conversations read from Meta with the people's usernames and pictures, one in each of Meta's
windows (response, Human Agent, closed), a Human Agent reply a member sends by hand, and a reply
Meta refuses explained in our own words."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.models import ActionStatus, MessageReply, QuickReply
from tests.insights.browser import csp_watch, sign_in
from tests.sandbox_process import connect_through_login
from tests.waiting import wait_for
from webhooks.models import Conversation, Message

pytestmark = pytest.mark.browser


@pytest.fixture
def inbox(sandbox: Any, celery_worker: None, live_server: Any, page: Any, django_user_model: Any) -> Any:
    """A researcher who just connected @ifma.saoluis with Instagram Login, browsing in Portuguese."""
    person = django_user_model.objects.create_user("pesquisadora")
    profile = connect_through_login(sandbox.url, person, "instagram")
    wait_for(
        lambda: Conversation.objects.filter(profile=profile)
        .exclude(participant_username="")
        .exclude(participant_picture_url="")
        .count()
        >= 8,
        timeout=60,  # the suite worker may be busy with the backfill the same connect queued
        what="the conversations read on connect, with names and pictures",
    )
    sign_in(page, live_server, person)
    page.context.add_cookies([{"name": "django_language", "value": "pt-br", "url": live_server.url}])
    return profile


def threads(sandbox: Any) -> list[dict[str, Any]]:
    return sandbox._call("GET", "messages", params={"account": "ifma.saoluis"})["conversations"]


def test_it_shows_usernames_both_windows_and_a_refused_reply_in_portuguese(
    inbox: Any, sandbox: Any, page: Any, live_server: Any, screenshot: Any
) -> None:
    errors = csp_watch(page)
    expected = threads(sandbox)
    page.goto(live_server.url + reverse("messages", args=[inbox.pk]))
    listing = page.locator(".conversation-list")
    for thread in expected:
        assert listing.get_by_text(f"@{thread['user_username']}", exact=True).is_visible()
    closed = [t for t in expected if not t["human_agent_open"]]
    agent = [t for t in expected if t["human_agent_open"] and not t["window_open"]]
    assert listing.locator('[data-window="closed"]').count() == len(closed)
    assert listing.locator('[data-window="human_agent"]').count() == len(agent)
    assert listing.locator('[data-window="closed"]').first.inner_text() == "Janela encerrada"
    assert listing.locator("img.avatar").count() == len(expected)
    assert listing.locator("[data-unread]").count() == len(expected)
    screenshot("inbox")

    open_thread = next(t for t in expected if t["window_open"])
    listing.get_by_text(f"@{open_thread['user_username']}", exact=True).click()
    assert page.locator("#window-state").get_attribute("data-window") == "response"
    assert page.locator("#window-open").is_visible()
    assert page.get_by_role("heading", name=f"Conversa com @{open_thread['user_username']}").is_visible()
    # The countdown ticks in the browser (static/js/messages.js): hours, minutes, seconds left.
    page.wait_for_function("/^\\d\\d:\\d\\d:\\d\\d$/.test(document.getElementById('window-countdown').textContent)")
    assert listing.locator("[data-unread]").count() == len(expected) - 1
    screenshot("window-open")

    QuickReply.objects.create(organization=inbox.organization, title="Horário", text="A secretaria abre às 8h.")
    listing.get_by_text(f"@{agent[0]['user_username']}", exact=True).click()
    assert page.locator("#window-state").get_attribute("data-window") == "human_agent"
    page.get_by_role("button", name="Horário").click()  # static/js/messages.js fills the composer
    assert page.locator("#message-text").input_value() == "A secretaria abre às 8h."
    page.locator(".reply-form button").click()
    sent = wait_for(lambda: MessageReply.objects.filter(status=ActionStatus.DONE).first(), what="the Human Agent reply")
    assert sent.human_agent and sent.text == "A secretaria abre às 8h."
    screenshot("human-agent")

    listing.get_by_text(f"@{closed[0]['user_username']}", exact=True).click()
    assert page.locator("#window-state").get_attribute("data-window") == "closed"
    assert page.locator("#window-closed").is_visible()
    assert not page.locator("#message-text").count()
    screenshot("window-closed")

    # Our copy believes this closed conversation was answered a moment ago (a late webhook, a
    # clock): the page offers a reply, and Meta, which knows better, refuses it.
    conversation = Conversation.objects.get(profile=inbox, participant_username=closed[0]["user_username"])
    Message.objects.create(conversation=conversation, mid="m_stale_copy", text="Oi?", sent_at=timezone.now())
    page.reload()
    page.locator("#message-text").fill("Olá! Ainda posso ajudar?")
    page.locator(".reply-form button[type=submit]").click()
    wait_for(lambda: MessageReply.objects.filter(status=ActionStatus.FAILED).exists(), what="Meta's refusal")
    page.reload()
    failure = page.locator("[data-failure]")
    assert failure.inner_text() == (
        "O Instagram recusou esta mensagem: a janela de 24 horas foi encerrada. "
        "Você poderá responder quando essa pessoa escrever de novo."
    )
    assert "allowed window" not in page.content()
    screenshot("reply-refused")
    assert errors == []
