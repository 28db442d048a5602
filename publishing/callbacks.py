"""Callbacks to the API client that queued a story: its detail JSON, signed, retried for 24 hours.

The body is the contract's detail shape; `X-SocialDataLab-Signature: sha256=<hex>` is the
HMAC-SHA256 of those exact bytes keyed by the client's secret, so the receiver checks it
before trusting the body (docs/story-api.md shows how).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import requests
from django.utils import timezone

from publishing.models import CallbackAttempt, Story

SIGNATURE_HEADER = "X-SocialDataLab-Signature"
EVENT_HEADER = "X-SocialDataLab-Event"
RETRY_WINDOW = timedelta(hours=24)
FIRST_RETRY_SECONDS = 5
LONGEST_WAIT_SECONDS = 30 * 60  # under the broker's one-hour visibility timeout
TIMEOUT_SECONDS = 10


def retry_delay(attempt: int) -> int:
    """5 s, 10 s, 20 s … doubling up to 30 min: about 55 tries fit in the 24 h window."""
    return min(FIRST_RETRY_SECONDS * 2 ** (attempt - 1), LONGEST_WAIT_SECONDS)


def body_of(story: Story) -> bytes:
    from publishing.serializers import StorySerializer

    context = {"dealer": story.organization, "channel": story.channel}
    return json.dumps(StorySerializer(story, context=context).data, ensure_ascii=False).encode()


def event_name(status: int) -> str:
    return "story.published" if status == 2 else "story.failed"


def deliver(story: Story, status: int, attempt: int) -> CallbackAttempt | None:
    """One POST; the attempt is recorded whatever happens. None when there is nowhere to send."""
    client = story.api_client
    if client is None or not client.callback_url or not client.is_active:
        return None
    body = body_of(story)
    signature = client.sign(body)
    headers = {"Content-Type": "application/json", EVENT_HEADER: event_name(status)}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    record = CallbackAttempt(
        api_client=client, story=story, url=client.callback_url, story_status=status, attempt=attempt
    )
    try:
        response = requests.post(client.callback_url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
        record.status_code = response.status_code
        record.delivered = 200 <= response.status_code < 300
    except requests.RequestException as exc:
        record.error = f"{type(exc).__name__}: {exc}"[:500]
    record.save()
    return record


def should_retry(first_attempt_at: datetime, attempt: int) -> bool:
    return timezone.now() + timedelta(seconds=retry_delay(attempt)) - first_attempt_at <= RETRY_WINDOW
