"""Callbacks to the shop: signed with the client's secret, retried with backoff, every attempt recorded."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from publishing.callbacks import SIGNATURE_HEADER, retry_delay
from publishing.models import AssetType, CallbackAttempt, StoryStatus
from tests.publishing.conftest import JPEG_B64, CallbackReceiver, Dealer, RegisteredClient
from tests.publishing.test_publishing_worker import queue, settled

pytestmark = pytest.mark.usefixtures("celery_worker", "transactional_db")


def signature(secret: str, body: bytes) -> str:
    """What a shop computes to trust a callback (docs/story-api.md)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def recorded(story_id: int, count: int) -> list[CallbackAttempt]:
    """The attempts once the worker saved them (it saves after the receiver answered)."""
    deadline = time.monotonic() + 5
    while CallbackAttempt.objects.filter(story_id=story_id).count() < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return list(CallbackAttempt.objects.filter(story_id=story_id).order_by("attempt"))


def test_a_published_story_is_posted_to_the_callback_signed_and_retried_after_a_failure(
    sandbox: Any,
    sandbox_dealer: Dealer,
    api_as: Callable[..., APIClient],
    api_client_app: RegisteredClient,
    callback_receiver: Callable[[list[int]], CallbackReceiver],
) -> None:
    receiver = callback_receiver([503])  # the shop is down once
    api_client_app.client.callback_url = receiver.url
    api_client_app.client.save()

    story = settled(queue(api_as(sandbox_dealer.owner), sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    first, second = receiver.wait_for(2, timeout=retry_delay(1) + 10)
    assert first.body == second.body
    assert second.headers[SIGNATURE_HEADER] == signature(api_client_app.secret, second.body)
    sent = json.loads(second.body)
    assert sent["id"] == story.pk and sent["status"] == StoryStatus.PUBLISHED
    assert sent["facebook_post_id"] == story.facebook_post_id and sent["status_display"] == "Publicado"
    attempts = recorded(story.pk, 2)
    assert [(a.attempt, a.status_code, a.delivered) for a in attempts] == [(1, 503, False), (2, 200, True)]


def test_a_failed_story_is_posted_too(
    sandbox: Any,
    sandbox_dealer: Dealer,
    api_as: Callable[..., APIClient],
    api_client_app: RegisteredClient,
    callback_receiver: Callable[[list[int]], CallbackReceiver],
) -> None:
    receiver = callback_receiver([])
    api_client_app.client.callback_url = receiver.url
    api_client_app.client.save()
    sandbox.fail(token=sandbox_dealer.organization.credentials.get().token, mode="revoked")

    story = settled(queue(api_as(sandbox_dealer.owner), sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    [only] = receiver.wait_for(1, timeout=10)
    assert only.headers["X-SocialDataLab-Event"] == "story.failed"
    assert json.loads(only.body)["error"] == story.error


def test_the_backoff_doubles_and_keeps_trying_for_a_day() -> None:
    delays = [retry_delay(n) for n in range(1, 60)]

    assert delays[:3] == [5, 10, 20]
    assert max(delays) == 30 * 60
    assert 24 * 3600 <= sum(delays[:56])  # retries go on for the whole 24 hours
