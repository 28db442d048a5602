"""Messaging in `standby[]` (another app owns the conversation) is stored and shown, and the app
dashboard's "Test" delivery (entry id "0", time in milliseconds) is recorded as a test."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from collector.models import Comment, Profile
from tests.waiting import wait_for
from webhooks.models import Conversation, EventStatus, Message, WebhookEvent

from .conftest import deliver, fixture_body, post_signed, process_stored

MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxMTAy"


@pytest.mark.django_db
def test_it_stores_a_standby_message_and_its_read_mark_and_counts_them_apart(client: Client, profile: Profile) -> None:
    deliver(client, "standby_messages", "standby_messaging_seen")

    message = Message.objects.get(mid=MID)
    assert (message.text, message.standby, message.is_echo) == ("Oi, qual o horário da biblioteca?", True, False)
    assert Conversation.objects.get(profile=profile).last_read_at is not None
    events = list(WebhookEvent.objects.order_by("pk"))
    assert [event.status for event in events] == [EventStatus.PROCESSED, EventStatus.PROCESSED]
    assert events[0].report["handled"] == {"standby/messages": 1}
    assert events[1].report["handled"] == {"standby/messaging_seen": 1}
    assert events[0].field_list == ["standby/messages"]


@pytest.mark.django_db
def test_a_standby_postback_is_counted_as_unhandled_not_dropped(client: Client, profile: Profile) -> None:
    deliver(client, "standby_messaging_postbacks")
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.UNHANDLED
    assert event.report["unhandled"] == {"standby/messaging_postbacks": 1}


@pytest.mark.django_db
def test_the_inbox_says_another_app_handled_a_standby_message(client: Client, profile: Profile, member: Any) -> None:
    deliver(client, "standby_messages", "messages_text")
    client.force_login(member)
    conversation = Conversation.objects.get(profile=profile)
    page = client.get(reverse("conversation", args=[profile.pk, conversation.pk]))
    body = page.content.decode()
    assert "Oi, qual o horário da biblioteca?" in body and ">hi<" in body
    assert body.count("data-standby") == 1


@pytest.mark.django_db
def test_the_dashboard_test_delivery_is_answered_200_and_recorded_as_a_test(client: Client, profile: Profile) -> None:
    assert post_signed(client, fixture_body("dashboard_test_comments")).status_code == 200
    assert process_stored() == [EventStatus.TEST]
    event = WebhookEvent.objects.get()
    assert (event.status, event.error, event.profile) == (EventStatus.TEST, "", None)
    assert event.report["tests"] == 1 and event.report["ignored"] == []
    assert not Comment.objects.exists()


def test_the_sandbox_sends_standby_and_test_deliveries_that_the_worker_records(
    sandbox: Any, live_server: Any, celery_worker: None, profile: Profile
) -> None:
    target = live_server.url + "/webhooks/meta/"
    standby = sandbox.send_webhook(target, "messages", standby=True, text="Alguém me ajuda?")
    test = sandbox.send_webhook(target, "comments", test=True)
    assert (standby["status"], test["status"]) == (200, 200)
    assert '"standby":[' in standby["body"] and '"id":"0"' in test["body"]

    wait_for(lambda: not WebhookEvent.objects.filter(status=EventStatus.RECEIVED).exists(), 30, "the processing")
    assert Message.objects.get(conversation__profile=profile).standby is True
    statuses = set(WebhookEvent.objects.values_list("status", flat=True))
    assert statuses == {EventStatus.PROCESSED, EventStatus.TEST}
