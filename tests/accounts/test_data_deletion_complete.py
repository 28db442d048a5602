"""Meta's data-deletion callback leaves nothing personal behind, answers a replay with its first
confirmation, refuses stale or odd signed_requests with a 400; callbacks sent by the sandbox as Meta does."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts import forget
from accounts.models import DataDeletionRequest
from tests.webhooks.conftest import fixture_body, post_signed
from webhooks.models import WebhookEvent
from webhooks.tasks import process_event

DAY = 24 * 3600


@pytest.fixture
def callback_urls(live_server: Any) -> dict[str, str]:
    return {kind: live_server.url + reverse(f"accounts:meta_{kind}") for kind in ("deauthorize", "data_deletion")}


@pytest.mark.parametrize("algorithm", [123, None, ["HMAC-SHA256"], {"name": "HMAC-SHA256"}])
@pytest.mark.parametrize("kind", ["deauthorize", "data_deletion"])
def test_a_signed_request_whose_algorithm_is_not_a_string_is_a_400(
    sandbox: Any, callback_urls: dict[str, str], kind: str, algorithm: Any
) -> None:
    answer = sandbox.send_callback(callback_urls[kind], kind, algorithm=algorithm)

    assert answer["status"] == 400
    assert not DataDeletionRequest.objects.exists()


def test_a_deletion_request_issued_two_days_ago_is_refused(sandbox: Any, callback_urls: dict[str, str]) -> None:
    answer = sandbox.send_callback(callback_urls["data_deletion"], "data_deletion", issued_at_offset=-2 * DAY)

    assert answer["status"] == 400
    assert not DataDeletionRequest.objects.exists()


def test_a_replayed_deletion_request_is_answered_with_the_first_confirmation(
    sandbox: Any, callback_urls: dict[str, str]
) -> None:
    answer = sandbox.send_callback(callback_urls["data_deletion"], "data_deletion", repeat=3)

    assert answer["statuses"] == [200, 200, 200]
    codes = {reply["confirmation_code"] for reply in answer["answers"]}
    assert codes == {DataDeletionRequest.objects.get().confirmation_code}


def test_a_new_deletion_request_of_the_same_person_is_a_new_request(
    sandbox: Any, callback_urls: dict[str, str]
) -> None:
    first = sandbox.send_callback(callback_urls["data_deletion"], "data_deletion", issued_at_offset=-60)
    second = sandbox.send_callback(callback_urls["data_deletion"], "data_deletion")

    assert first["answers"][0]["confirmation_code"] != second["answers"][0]["confirmation_code"]
    assert DataDeletionRequest.objects.count() == 2


@pytest.mark.django_db
def test_data_deletion_forgets_the_raw_webhook_deliveries_about_the_account(
    sandbox: Any, owner: Any, organization: Any, connect: Any, client: Client
) -> None:
    credentials = connect(organization, owner, "facebook")  # ifma.saoluis and its Page
    for name in ("comments_instagram_login_flat", "messages_text", "unknown_field"):
        assert post_signed(client, fixture_body(name)).status_code == 200
    process_event(WebhookEvent.objects.order_by("pk").first().pk)  # one linked; the others not yet
    other_account = fixture_body("comments_instagram_login_flat").replace(b"17841400000000001", b"17841400000000009")
    assert post_signed(client, other_account).status_code == 200

    deletion = DataDeletionRequest.objects.create(meta_user_id=credentials[0].meta_user_id)
    forget.delete_meta_user_data(deletion.pk)

    # The commenter's username and the DM's text were in the deleted account's deliveries only.
    assert [event.body.encode() for event in WebhookEvent.objects.all()] == [other_account]


@pytest.mark.django_db
def test_a_disconnect_that_deletes_the_data_forgets_the_deliveries_too(
    sandbox: Any, owner: Any, organization: Any, connect: Any, client: Client
) -> None:
    [credential] = connect(organization, owner, "instagram", "ifma.saoluis")
    assert post_signed(client, fixture_body("messages_text")).status_code == 200

    forget.begin_disconnect(credential, delete_data=True)

    assert not WebhookEvent.objects.exists()
