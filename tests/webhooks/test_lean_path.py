"""The lean path: gunicorn's application (socialdatalab.wsgi) answers Meta's POSTs before Django's
request cycle, with the same checks, the same stored row and the headers Django would have sent.

Requests go through the WSGI application itself (the test client would go through Django's
handler and never reach the lean path). Whether Django's request cycle ran is read from its
`request_started` signal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory, override_settings

from meta.signing import sign_body
from socialdatalab.lean_webhooks import LeanWebhookPath
from socialdatalab.wsgi import application
from webhooks.models import EventStatus, WebhookEvent

from .conftest import fixture_body, post_signed
from .test_malformed import stored_bytes

SECURITY_HEADERS = [
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Content-Security-Policy",
]


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, went_through_django: bool) -> None:
        self.status, self.headers, self.body, self.went_through_django = status, headers, body, went_through_django


@contextmanager
def django_cycles() -> Iterator[list[Any]]:
    """Django's request cycles started meanwhile; the suite's transaction is kept open as the test
    client keeps it (Django's handler would close the connection at the end of each request)."""
    started: list[Any] = []

    def count(**kwargs: Any) -> None:
        started.append(kwargs)

    request_started.connect(count)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield started
    finally:
        request_started.disconnect(count)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(environ: dict[str, Any], app: Callable[..., Any] = application) -> Answer:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    with django_cycles() as started:
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    return Answer(seen["status"], seen["headers"], body, bool(started))


def post(
    body: bytes,
    signature: str | None = None,
    *,
    secret: str | None = None,
    app: Callable[..., Any] = application,
    host: str = "testserver",
    headers: dict[str, str] | None = None,
) -> Answer:
    if signature is None:
        signature = sign_body(body, secret or settings.META_APP_SECRET)
    headers = {**({"X-Hub-Signature-256": signature} if signature else {}), **(headers or {})}
    request = RequestFactory().post(
        "/webhooks/meta/", body, content_type="application/json", headers=headers, HTTP_HOST=host,
        CONTENT_LENGTH=str(len(body)),  # as gunicorn gives it, also for an empty body
    )  # fmt: skip
    return call(request.environ, app)


def test_gunicorn_serves_the_lean_path_in_front_of_django() -> None:
    assert isinstance(application, LeanWebhookPath)


@pytest.mark.django_db
@pytest.mark.parametrize("secret_setting", ["META_APP_SECRET", "INSTAGRAM_APP_SECRET"])
def test_a_signed_delivery_is_stored_and_answered_without_django_s_request_cycle(secret_setting: str) -> None:
    body = fixture_body("comments_instagram_login_flat")
    answer = post(body, secret=getattr(settings, secret_setting))
    assert (answer.status, answer.body, answer.went_through_django) == (200, b"", False)
    event = WebhookEvent.objects.get()
    assert event.body.encode() == body
    assert (event.object, event.field_list, event.status) == ("instagram", ["comments"], EventStatus.RECEIVED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "sha1=0123", "mis-signed", "other bytes"],
)
def test_the_lean_path_refuses_deliveries_not_signed_with_an_app_secret(signature: str) -> None:
    body = fixture_body("messages_text")
    good = sign_body(body, settings.META_APP_SECRET)
    signature = {"mis-signed": good[:-4] + ("0000" if not good.endswith("0000") else "1111"),
                 "other bytes": sign_body(body + b" ", settings.META_APP_SECRET)}.get(signature, signature)  # fmt: skip
    answer = post(body, signature or "")
    assert (answer.status, answer.went_through_django) == (403, False)
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"object=instagram&entry=nope", b"[" * 100_000, b'{"object":"instagram","entry":[{"time":' + b"9" * 4301 + b"}]}"],
    ids=["form", "deep", "huge-integer"],
)
def test_the_lean_path_keeps_a_signed_body_that_is_not_json_as_rejected(body: bytes) -> None:
    answer = post(body)
    assert (answer.status, answer.went_through_django) == (400, False)
    event = WebhookEvent.objects.get()
    assert (event.status, stored_bytes(event)) == (EventStatus.REJECTED, body)


@pytest.mark.django_db
def test_the_lean_path_keeps_the_exact_bytes_of_a_body_postgresql_text_cannot_hold() -> None:
    body = fixture_body("messages_text").replace(b'"hi"', b'"hi\x00\xff"')
    assert post(body).status in (200, 400)
    assert stored_bytes(WebhookEvent.objects.get()) == body


@pytest.mark.django_db
def test_the_lean_path_refuses_a_body_over_five_megabytes_unread() -> None:
    body = b'{"object":"instagram","entry":[' + b" " * (5 * 1024 * 1024) + b"]}"
    assert post(body).status == 413
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_lean_path_answers_503_when_the_database_is_down_so_meta_retries() -> None:
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: every query fails to connect
    try:
        answer = post(fixture_body("comments_instagram_login_flat"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original_port
    assert (answer.status, answer.went_through_django) == (503, False)
    assert not WebhookEvent.objects.exists()


def test_the_subscription_handshake_still_goes_through_django() -> None:
    token = settings.META_WEBHOOK_VERIFY_TOKEN
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token}
    answer = call(RequestFactory().get("/webhooks/meta/", query, HTTP_HOST="testserver").environ)
    assert (answer.status, answer.body, answer.went_through_django) == (200, b"1158201444", True)
    assert answer.headers["Content-Type"].startswith("text/plain")
    query["hub.verify_token"] = "someone-elses-token"
    assert call(RequestFactory().get("/webhooks/meta/", query, HTTP_HOST="testserver").environ).status == 403


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [False, True], ids=["http", "https behind the proxy"])
def test_the_lean_path_sends_the_security_headers_django_sends(client: Client, secure: bool) -> None:
    """What a scanner looks for (HSTS on HTTPS, nosniff, referrer and opener policies, framing,
    CSP) with the values Django's middleware gives the same answer from the same settings."""
    proxy = {"X-Forwarded-Proto": "https"} if secure else {}
    hsts = {"SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True}
    with override_settings(**hsts):
        lean = post(fixture_body("messages_text"), app=LeanWebhookPath(get_wsgi_application()), headers=proxy)
        through_django = post_signed(client, fixture_body("messages_text"), **proxy)
    assert (lean.status, through_django.status_code, lean.went_through_django) == (200, 200, False)
    expected = {name: through_django.headers[name] for name in SECURITY_HEADERS if name in through_django.headers}
    assert {name: lean.headers[name] for name in SECURITY_HEADERS if name in lean.headers} == expected
    assert ("Strict-Transport-Security" in expected) == secure
    assert len(expected) >= len(SECURITY_HEADERS) - (0 if secure else 1)
    assert lean.headers["Content-Type"] == through_django.headers["Content-Type"]


@pytest.mark.django_db
def test_requests_the_lean_path_declines_are_answered_by_django_as_before() -> None:
    body = fixture_body("comments_instagram_login_flat")
    foreign_host = post(body, host="evil.example")
    assert (foreign_host.status, foreign_host.went_through_django) == (400, True)
    put = RequestFactory().put("/webhooks/meta/", body, content_type="application/json", HTTP_HOST="testserver")
    assert call(put.environ).status == 405
    chunked = RequestFactory().post("/webhooks/meta/", body, content_type="application/json", HTTP_HOST="testserver")
    del chunked.environ["CONTENT_LENGTH"]  # no length to trust: Django reads it (an empty body, unsigned)
    assert (call(chunked.environ).status, call(chunked.environ).went_through_django) == (403, True)
    with override_settings(SECURE_SSL_REDIRECT=True):
        redirected = post(body, app=LeanWebhookPath(get_wsgi_application()))
        assert (redirected.status, redirected.went_through_django) == (301, True)
        proxied = {"X-Forwarded-Proto": "https"}
        secure = post(body, app=LeanWebhookPath(get_wsgi_application()), headers=proxied)
        assert (secure.status, secure.went_through_django) == (200, False)
    assert WebhookEvent.objects.count() == 1  # only the one Django would have stored too
