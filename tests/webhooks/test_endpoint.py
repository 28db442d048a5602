"""/webhooks/meta/: Meta's handshake, and only correctly signed deliveries are stored."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from meta.signing import sign_body
from webhooks.models import EventStatus, WebhookEvent

from .conftest import FIXTURES, fixture_body, post_signed

ALL_FIXTURES = sorted(path.stem for path in FIXTURES.glob("*.json"))


def test_it_answers_the_subscription_handshake_with_the_challenge(client: Client) -> None:
    token = settings.META_WEBHOOK_VERIFY_TOKEN
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token}
    response = client.get("/webhooks/meta/", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "someone-elses-token"},
        {"hub.mode": "unsubscribe", "hub.challenge": "1158201444", "hub.verify_token": "sandbox-verify-token"},
        {"hub.challenge": "1158201444"},
    ],
)
def test_it_refuses_a_handshake_with_the_wrong_token_or_mode(client: Client, query: dict[str, str]) -> None:
    assert client.get("/webhooks/meta/", query).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("secret_setting", ["META_APP_SECRET", "INSTAGRAM_APP_SECRET"])
def test_it_stores_a_delivery_signed_with_either_app_secret(client: Client, secret_setting: str) -> None:
    body = fixture_body("comments_instagram_login_flat")
    response = post_signed(client, body, getattr(settings, secret_setting))
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.body.encode() == body
    assert (event.object, event.field_list, event.status) == ("instagram", ["comments"], EventStatus.RECEIVED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_it_rejects_unsigned_mis_signed_and_foreign_signed_deliveries(client: Client, name: str) -> None:
    body = fixture_body(name)
    good = sign_body(body, settings.META_APP_SECRET)
    attempts = {
        "unsigned": {},
        "mis-signed": {"X-Hub-Signature-256": good[:-4] + ("0000" if not good.endswith("0000") else "1111")},
        "another app's secret": {"X-Hub-Signature-256": sign_body(body, "some-other-app-secret")},
        "signature of other bytes": {"X-Hub-Signature-256": sign_body(body + b" ", settings.META_APP_SECRET)},
        "sha1 only": {"X-Hub-Signature": "sha1=" + good.removeprefix("sha256=")[:40]},
    }
    for what, headers in attempts.items():
        response = client.post("/webhooks/meta/", body, content_type="application/json", headers=headers)
        assert response.status_code == 403, what
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_body_over_five_megabytes(client: Client) -> None:
    body = b'{"object":"instagram","entry":[' + b" " * (5 * 1024 * 1024) + b"]}"
    assert post_signed(client, body).status_code == 413
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_it_accepts_a_large_delivery_under_the_limit(client: Client) -> None:
    # 1,000 updates in one POST is Meta's documented burst; Django's own 2.5 MB limit must not bite.
    body = b'{"object":"instagram","entry":[]' + b" " * (3 * 1024 * 1024) + b"}"
    assert post_signed(client, body).status_code == 200
    assert WebhookEvent.objects.get().status == EventStatus.RECEIVED


@pytest.mark.django_db
def test_it_keeps_a_signed_body_that_is_not_json_as_rejected(client: Client) -> None:
    response = post_signed(client, b"object=instagram&entry=nope")
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.status == EventStatus.REJECTED
    assert event.body == "object=instagram&entry=nope"


@pytest.mark.django_db(transaction=True)
def test_it_answers_503_when_the_database_is_down_so_meta_retries(client: Client) -> None:
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: every query fails to connect
    try:
        response = post_signed(client, fixture_body("comments_instagram_login_flat"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original_port
    assert response.status_code == 503
    assert not WebhookEvent.objects.exists()
