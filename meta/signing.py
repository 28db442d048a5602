"""Meta's signatures: X-Hub-Signature-256 on webhooks, signed_request on the Login callbacks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import Any


def sign_body(body: bytes, secret: str) -> str:
    """The header value Meta sends: `sha256=` and the hex HMAC of the exact bytes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secrets: Iterable[str]) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return any(hmac.compare_digest(sign_body(body, secret), header) for secret in secrets if secret)


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def parse_signed_request(signed_request: str, secrets: Iterable[str]) -> dict[str, Any] | None:
    """The payload of a valid signed_request, or None when it is malformed or forged."""
    try:
        signature_segment, payload_segment = signed_request.split(".", 1)
        signature = _b64url_decode(signature_segment)
        payload = json.loads(_b64url_decode(payload_segment))
    except (ValueError, RecursionError):  # bad base64, bad JSON (or too deep), not UTF-8
        return None
    algorithm = payload.get("algorithm") if isinstance(payload, dict) else None
    if not isinstance(algorithm, str) or algorithm.upper() != "HMAC-SHA256":
        return None
    for secret in secrets:
        if not secret:
            continue
        expected = hmac.new(secret.encode(), payload_segment.encode(), hashlib.sha256).digest()
        if hmac.compare_digest(expected, signature):
            return payload
    return None


def issued_within(payload: dict[str, Any], max_age: float, now: float, skew: float = 300.0) -> bool:
    """Whether Meta issued the signed_request at most `max_age` seconds ago (`issued_at`, Unix seconds),
    allowing `skew` seconds of clock difference the other way. A replay of an old one is refused."""
    issued_at = payload.get("issued_at")
    if isinstance(issued_at, bool) or not isinstance(issued_at, int):
        return False
    return -skew <= now - issued_at <= max_age


def make_signed_request(payload: dict[str, Any], secret: str) -> str:
    """The inverse of parse_signed_request, as Meta builds it (used by tests and the docs)."""
    payload_segment = _b64url_encode(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), payload_segment.encode(), hashlib.sha256).digest()
    return f"{_b64url_encode(signature)}.{payload_segment}"
