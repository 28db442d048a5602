"""Meta's deauthorize and data-deletion callbacks: a signed_request POSTed form-encoded.

The payload is Meta's (`algorithm`, `issued_at`, `user_id`, and `expires` for data deletion); the
spec may bend it the ways tests need: an old `issued_at`, an `algorithm` that is not a string,
the same bytes sent `repeat` times (a replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from . import FB_USER_ID, INSTAGRAM_APP_SECRET, META_APP_SECRET
from .state import State

KINDS = ("deauthorize", "data_deletion")
SECRETS = {"meta": META_APP_SECRET, "instagram": INSTAGRAM_APP_SECRET}


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed_request(payload: dict[str, Any], secret: str) -> str:
    segment = _b64url(json.dumps(payload, separators=(",", ":")).encode())
    return _b64url(hmac.new(secret.encode(), segment.encode(), hashlib.sha256).digest()) + "." + segment


def _payload(state: State, spec: dict[str, Any]) -> dict[str, Any]:
    issued_at = int(spec.get("issued_at") or state.now()) + int(spec.get("issued_at_offset", 0))
    user_id = spec.get("user_id")
    if user_id is None and spec.get("account"):
        account = state.account(spec["account"])
        if account is None:
            raise ValueError(f"unknown account {spec['account']!r}")
        user_id = account.app_scoped_id
    payload = {"algorithm": spec.get("algorithm", "HMAC-SHA256"), "issued_at": issued_at}
    if spec["kind"] == "data_deletion":
        payload["expires"] = issued_at + 3600
    payload["user_id"] = user_id if user_id is not None else FB_USER_ID
    return payload


def _post(target: str, form: bytes) -> tuple[int, Any]:
    if not target.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {target}")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "facebookexternalua"}
    req = urllib.request.Request(target, data=form, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - scheme checked above
            status, text = int(resp.status), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, text = int(exc.code), exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return 0, None
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def send(state: State, spec: dict[str, Any]) -> dict[str, Any]:
    if spec.get("kind") not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if not spec.get("target"):
        raise ValueError("target is required")
    with state.lock:
        payload = _payload(state, spec)
    choice = spec.get("secret") or "meta"  # "meta", "instagram" (Instagram Login), or a literal secret
    secret = SECRETS.get(choice, choice)
    form = urllib.parse.urlencode({"signed_request": signed_request(payload, secret)}).encode()
    results = [_post(str(spec["target"]), form) for _ in range(max(1, int(spec.get("repeat", 1))))]
    return {
        "status": results[0][0],
        "statuses": [status for status, _ in results],
        "answers": [answer for _, answer in results],
        "payload": payload,
    }
