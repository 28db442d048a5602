"""A bounded fuzz of Meta's doors: the webhook endpoint and the deauthorize and data-deletion callbacks.

A seeded generator makes nasty JSON and bytes (deep nesting, huge integers, NaN and Infinity,
`1e308`, NUL and lone surrogates, truncations, raw binary), half of them correctly signed. No
answer may be a 5xx; no unsigned delivery may be stored; every signed delivery must be stored,
byte for byte. The seed is printed with each failure, so any case can be replayed.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from meta.signing import make_signed_request, sign_body
from webhooks.models import WebhookEvent

from .conftest import IG_ACCOUNT_ID, fixture_body
from .test_lean_path import post as post_lean
from .test_malformed import stored_bytes

pytestmark = pytest.mark.django_db
SEED = 20261111
WEBHOOK_CASES = 1600  # per door: 3,200 deliveries in all
CALLBACK_CASES = 800
NASTY_STRINGS = ["\u0000", "\ud800", "\udfff", "\ud83d\ude00", "\u202e", "'; DROP TABLE x; --", "%s", "\\"]
NASTY_STRINGS.append("\U0001d54f" * 50)
NASTY_NUMBERS = [0, -1, 2**63, 10**30, 1e308, -1e308, 1e-320, float("nan"), float("inf"), float("-inf"), True, None]


def nasty_value(r: random.Random, depth: int = 0) -> Any:
    kind = r.randrange(8 if depth < 4 else 3)
    if kind == 0:
        return r.choice(NASTY_STRINGS) + "".join(chr(r.randrange(0x20, 0x3000)) for _ in range(r.randrange(8)))
    if kind == 1:
        return r.choice(NASTY_NUMBERS)
    if kind == 2:
        return r.choice(["", "comments", "messages", "17841400000000001", IG_ACCOUNT_ID])
    if kind in (3, 4):
        return [nasty_value(r, depth + 1) for _ in range(r.randrange(4))]
    keys = ["id", "time", "field", "value", "changes", "messaging", "text", "from", r.choice(NASTY_STRINGS)]
    return {r.choice(keys): nasty_value(r, depth + 1) for _ in range(r.randrange(5))}


def mutated_delivery(r: random.Random) -> bytes:
    """A real fixture with one part replaced by something nasty, encoded as JSON may be (NaN allowed)."""
    payload = json.loads(fixture_body(r.choice(["comments_instagram_login_flat", "messages_text", "feed_comment_add"])))
    entry = payload["entry"][0]
    target = r.choice([payload, entry, entry.get("value") or entry.get("changes", [{}])[0]])
    target[r.choice([*target, "time", "field", "id"])] = nasty_value(r)
    return json.dumps(payload, ensure_ascii=r.random() < 0.5).encode("utf-8", "surrogatepass")


def raw_bytes(r: random.Random) -> bytes:
    choices: list[Callable[[], bytes]] = [
        lambda: bytes(r.randrange(256) for _ in range(r.randrange(64))),
        lambda: b"[" * r.choice([10, 1000, 100_000]) + b"]" * r.randrange(3),
        lambda: b'{"object":"instagram","entry":[{"time":' + b"9" * r.choice([4300, 4301, 6000]) + b"}]}",
        lambda: fixture_body("comments_instagram_login_flat")[: r.randrange(200)],
        lambda: r.choice([b"", b"null", b"[]", b'"x"', b"NaN", b"1e999", b"\x00", b"{}"]),
        lambda: fixture_body("messages_text").replace(b'"hi"', b'"hi\x00\xff"'),
    ]
    return r.choice(choices)()


@pytest.mark.parametrize("path", ["lean", "django"], ids=["gunicorn's lean path", "Django's view"])
def test_the_webhook_endpoint_never_answers_5xx_and_stores_exactly_the_signed_deliveries(
    client: Client, path: str
) -> None:
    """Both doors to the same checks: gunicorn's application answers these POSTs itself
    (socialdatalab/lean_webhooks.py), the view answers what it declines and the test client's requests."""
    r = random.Random(SEED)
    problems: list[str] = []
    signed = 0
    for case in range(WEBHOOK_CASES):
        body = mutated_delivery(r) if r.random() < 0.6 else raw_bytes(r)
        genuine_signatures = [sign_body(body, settings.META_APP_SECRET), sign_body(body, settings.INSTAGRAM_APP_SECRET)]
        signature = r.choice([*genuine_signatures, None, "sha256=" + "0" * 64, sign_body(body, "another-app")])
        headers = {"X-Hub-Signature-256": signature} if signature else {}
        before = WebhookEvent.objects.count()
        if path == "lean":
            answer = post_lean(body, signature or "")
            status = answer.status
            if answer.went_through_django:
                problems.append(f"case {case}: declined by the lean path {body[:40]!r}")
        else:
            status = client.post("/webhooks/meta/", body, content_type="application/json", headers=headers).status_code
        genuine = signature in genuine_signatures
        stored = WebhookEvent.objects.count() - before
        if status >= 500 or stored != (1 if genuine else 0):
            problems.append(f"case {case}: {status}, stored {stored}, signed {genuine}, body {body[:80]!r}")
        elif genuine:
            signed += 1
            if stored_bytes(WebhookEvent.objects.order_by("-pk").first()) != body:
                problems.append(f"case {case}: stored bytes differ from {body[:80]!r}")
    assert problems == [], f"seed {SEED}: {len(problems)} problems, first: {problems[:5]}"
    assert signed > WEBHOOK_CASES // 3


def nasty_signed_request(r: random.Random) -> str:
    payload: dict[str, Any] = {
        "algorithm": r.choice(["HMAC-SHA256", "hmac-sha256", "none", 123, None, ["HMAC-SHA256"]]),
        "issued_at": r.choice([int(time.time()), int(time.time()) - 10**6, 10**30, "now", 1e308, None]),
        "user_id": r.choice(["10000000000000001", 10000000000000001, "", "1" * 100, "\u0000", {"id": 1}, None]),
    }
    for key in r.sample(list(payload), r.randrange(2)):
        payload[key] = nasty_value(r)
    secret = r.choice([settings.META_APP_SECRET, settings.INSTAGRAM_APP_SECRET, "not-the-secret"])
    signed = make_signed_request(payload, secret)  # NaN and Infinity included: Python writes them
    return r.choice([signed, signed, signed[: r.randrange(len(signed) + 1)], "." * r.randrange(3), signed + "=="])


@pytest.mark.parametrize("name", ["accounts:meta_deauthorize", "accounts:meta_data_deletion"])
def test_the_meta_callbacks_never_answer_5xx(client: Client, name: str) -> None:
    r = random.Random(f"{SEED}-{name}")
    url = reverse(name)
    problems = []
    for case in range(CALLBACK_CASES // 2):
        form = {"signed_request": nasty_signed_request(r)} if r.random() < 0.9 else {"other": "x"}
        status = client.post(url, form).status_code
        if status >= 500:
            problems.append(f"case {case}: {status} for {form}")
    assert problems == [], f"seed {SEED}: {problems[:5]}"
