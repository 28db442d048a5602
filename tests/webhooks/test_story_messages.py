"""A story mention and a story reply are the person's messages: they open Meta's window."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from collector.models import Profile
from insights import messaging
from webhooks.models import Conversation

from .conftest import fixture_body, post_signed, process_stored

pytestmark = pytest.mark.django_db


def _deliver_now(client: Client, name: str) -> None:
    """Meta's example payload, as if the person had just written."""
    body = json.loads(fixture_body(name))
    body["entry"][0]["messaging"][0]["timestamp"] = int(time.time() * 1000)
    assert post_signed(client, json.dumps(body).encode()).status_code == 200
    process_stored()


def test_it_opens_the_window_when_someone_mentions_the_account_in_their_story(client: Client, profile: Profile) -> None:
    _deliver_now(client, "messages_story_mention")
    conversation = Conversation.objects.get(profile=profile, participant_id="6543210987654322")
    message = conversation.messages.get()
    assert (message.story, message.is_echo) == ("mention", False)
    assert messaging.window(conversation).kind == messaging.RESPONSE


def test_it_opens_the_window_when_someone_replies_to_the_accounts_story(client: Client, profile: Profile) -> None:
    _deliver_now(client, "messages_story_reply")
    conversation = Conversation.objects.get(profile=profile, participant_id="6543210987654323")
    message = conversation.messages.get()
    assert (message.story, message.text, message.reply_to) == (
        "reply",
        "Que legal o evento!",
        "story:17900000000000002",
    )
    assert messaging.window(conversation).kind == messaging.RESPONSE
