"""Signed deliveries whose bytes are hostile or odd are stored as they came and never answered 5xx;
text PostgreSQL cannot hold is cleaned before handling; failed deliveries are visible and retried."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from collector.models import Comment, Profile
from meta.signing import sign_body
from webhooks.models import SWEEP_ATTEMPTS, EventStatus, WebhookEvent
from webhooks.processing import PUBLISH_CHUNK, SWEEP_AFTER_SECONDS, sweep_unprocessed

from .conftest import IG_ACCOUNT_ID, process_stored

# The deliveries are processed here, in the test: a worker would race the assertions and the flush.
pytestmark = pytest.mark.usefixtures("no_suite_worker")

# What the sandbox's `malformed` option makes of a comment delivery, and whether it is still a JSON
# object we can handle (200) or bytes we keep but cannot read (400).
READABLE = ["nan", "infinity", "time_1e308", "nul_text", "lone_surrogate"]
UNREADABLE = ["deep", "huge_int", "nul_byte", "not_utf8"]


def stored_bytes(event: WebhookEvent) -> bytes:
    return bytes(event.body_bytes) if event.body_bytes is not None else event.body.encode()


@pytest.mark.parametrize("how", READABLE + UNREADABLE)
def test_it_keeps_the_exact_signed_bytes_of_a_malformed_delivery_and_never_answers_5xx(
    live_server: Any, sandbox: Any, profile: Profile, how: str
) -> None:
    target = live_server.url + "/webhooks/meta/"

    answer = sandbox.send_webhook(target=target, event="comments", account="ifma.saoluis", malformed=how)

    assert answer["status"] == (200 if how in READABLE else 400)
    event = WebhookEvent.objects.get()
    # The stored bytes carry the very signature Meta sent: nothing was changed on the way in.
    assert sign_body(stored_bytes(event), settings.INSTAGRAM_APP_SECRET) == answer["signature"]
    assert event.status == (EventStatus.RECEIVED if how in READABLE else EventStatus.REJECTED)


@pytest.mark.parametrize("how", READABLE)
def test_a_comment_whose_delivery_is_odd_but_readable_reaches_the_comments(
    live_server: Any, sandbox: Any, profile: Profile, how: str
) -> None:
    target = live_server.url + "/webhooks/meta/"
    answer = sandbox.send_webhook(
        target=target, event="comments", account="ifma.saoluis", text="bom dia", malformed=how
    )

    assert process_stored() == [EventStatus.PROCESSED]
    comment = Comment.objects.get(meta_id=answer["ids"][0])
    # What PostgreSQL cannot store (NUL, a lone surrogate) is shown as U+FFFD; the rest is kept.
    assert comment.text == ("\ufffdbom dia" if how in ("nul_text", "lone_surrogate") else "bom dia")


def failed_comment_deliveries(count: int) -> list[int]:
    """Deliveries as the fuzz left them before the fix: a NUL in the text, `failed` for good."""
    ids = []
    for n in range(count):
        body = json.dumps(
            {
                "object": "instagram",
                "entry": [
                    {
                        "id": IG_ACCOUNT_ID,
                        "time": int(time.time()),
                        "field": "comments",
                        "value": {
                            "id": f"1786{n:011d}",
                            "from": {"id": "848067418322071", "username": "someone"},
                            "text": f"oi\u0000 {n}",
                            "media": {"id": "18050310947722369", "media_product_type": "FEED"},
                        },
                    }
                ],
            }
        )
        ids.append(
            WebhookEvent.objects.store(
                object="instagram", fields=",comments,", body=body, status=EventStatus.FAILED
            )
        )
    WebhookEvent.objects.filter(pk__in=ids).update(attempts=SWEEP_ATTEMPTS, error="DataError: NUL")
    return ids


@pytest.fixture
def admin_client(client: Client, django_user_model: Any) -> Client:
    client.force_login(django_user_model.objects.create_superuser("admin", password="x-long-password-9"))
    return client


@pytest.mark.django_db
def test_the_admin_index_counts_failed_deliveries_and_links_to_them(admin_client: Client, profile: Profile) -> None:
    failed_comment_deliveries(3)

    page = admin_client.get("/admin/").content.decode()

    assert 'data-failed-webhooks="3"' in page
    assert "3 webhook deliveries failed." in page
    assert "/admin/webhooks/webhookevent/?status__exact=failed" in page


@pytest.mark.django_db
def test_the_admin_index_says_nothing_when_no_delivery_failed(admin_client: Client) -> None:
    assert "data-failed-webhooks" not in admin_client.get("/admin/").content.decode()


def test_retrying_every_failed_delivery_at_once_brings_all_their_comments(
    celery_worker: None, admin_client: Client, profile: Profile
) -> None:
    count = PUBLISH_CHUNK + 50
    failed_comment_deliveries(count)
    listing = "/admin/webhooks/webhookevent/?status__exact=failed"

    # "Select all N" in the change list: the action gets the whole filtered queryset.
    response = admin_client.post(
        listing,
        {"action": "replay", "select_across": "1", "index": "0", "_selected_action": ["0"]},
        follow=True,
    )

    assert f"{count} deliveries queued again." in response.content.decode()
    deadline = time.monotonic() + 60
    while Comment.objects.filter(profile=profile).count() < count:
        assert time.monotonic() < deadline, "the retried deliveries were not all processed"
        time.sleep(0.3)
    assert not WebhookEvent.objects.filter(status=EventStatus.FAILED).exists()
    assert Comment.objects.filter(text="oi\ufffd 7").count() == 1


@pytest.mark.django_db
def test_the_sweep_retries_a_failed_delivery_until_it_has_failed_several_times(profile: Profile) -> None:
    retried, exhausted = failed_comment_deliveries(2)
    WebhookEvent.objects.filter(pk=retried).update(attempts=1)
    WebhookEvent.objects.update(received_at=timezone.now() - timezone.timedelta(seconds=SWEEP_AFTER_SECONDS + 1))

    assert sweep_unprocessed() == 1

    assert WebhookEvent.objects.get(pk=retried).swept_at is not None
    assert WebhookEvent.objects.get(pk=exhausted).swept_at is None
