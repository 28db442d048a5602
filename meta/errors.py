"""Meta's error JSON turned into exceptions that say what to do next.

Branch on Meta's `code`/`error_subcode`, never on the HTTP status (reference §8.3).
"""

from __future__ import annotations

import re
from typing import Any

RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80004})
TRANSIENT_CODES = frozenset({1, 2})
DEFAULT_RETRY_AFTER = 600.0


class MetaError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        http_status: int | None = None,
        fbtrace_id: str = "",
        payload: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.fbtrace_id = fbtrace_id
        self.payload = payload

    def __str__(self) -> str:
        where = f"code {self.code}" + (f"/{self.subcode}" if self.subcode else "")
        return f"{self.message} ({where})" if self.code is not None else self.message


class TokenInvalid(MetaError):
    """Code 190: expired, revoked or invalid. The person must reconnect."""


class RateLimited(MetaError):
    def __init__(self, message: str, *, retry_after: float = DEFAULT_RETRY_AFTER, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PermissionMissing(MetaError):
    """Codes 10 and 200-299: a permission was not granted."""


class NotEnoughViewers(MetaError):
    """(#10) on story insights under 5 viewers: not an authorization problem."""


class UnsupportedMetric(MetaError):
    """Code 100 naming metrics: dead ones or ones the media type does not have. Meta names them
    all, comma-separated: "…does not support the impressions, replies metric for this…"."""

    @property
    def metrics(self) -> tuple[str, ...]:
        found = re.search(r"does not support the (.+?) metric", self.message)
        return tuple(name.strip() for name in found.group(1).split(",")) if found else ()


class BeforeBusinessConversion(MetaError):
    """100/2108006: the media was posted before the account became a business account, so Meta
    has no insights for it (and, field-expanded, fails the whole media page)."""


class NonexistingField(MetaError):
    """(#100) "Tried accessing nonexisting field (X) on node type (Y)": this host does not offer X."""

    @property
    def field(self) -> str:
        found = re.search(r"nonexisting field \((\w+)\)", self.message)
        return found.group(1) if found else ""


class ReduceData(MetaError):
    """Code 1 "Please reduce the amount of data you're asking for": ask smaller pages, not again."""


class BadRequest(MetaError):
    """Any other 4xx-style Graph error: our request is wrong and retrying will not help."""


class ObjectMissing(BadRequest):
    """100/33: the object does not exist for this token (a deleted media, an expired story)."""


class TransientError(MetaError):
    """Codes 1/2, `is_transient`, HTTP 5xx, timeouts: retry later."""


class ContainerNotReady(MetaError):
    """9007/2207027: an Instagram container is not FINISHED yet."""


class PublishLimitReached(MetaError):
    """9/2207042: the Instagram daily publishing quota is used up."""


class OutsideMessagingWindow(MetaError):
    """10/2534022: the person's last message is older than the 24-hour window. Not a permission
    problem: the token is fine, only this conversation cannot be answered now."""


class RecipientUnavailable(MetaError):
    """100/2534014 (no matching user) and 551 (this person is not available right now)."""


class NotDiscoverable(MetaError):
    """110/2207013 "Cannot find User" from business_discovery: no professional account Meta will
    show under that username. Meta answers the same for a personal or private account, an
    age-restricted one, a username that was renamed away, and one that never existed."""


def error_from_response(http_status: int, body: Any, retry_after: float | None = None) -> MetaError:
    """Build the typed error for a failed response body (Graph or Instagram OAuth shape)."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        message = str(error.get("message", "Meta error"))
        code = _int_or_none(error.get("code"))
        subcode = _int_or_none(error.get("error_subcode"))
        transient = bool(error.get("is_transient"))
        fbtrace_id = str(error.get("fbtrace_id", ""))
    elif isinstance(body, dict) and "error_message" in body:  # api.instagram.com OAuth shape
        message = str(body["error_message"])
        code, subcode, transient, fbtrace_id = _int_or_none(body.get("code")), None, False, ""
    else:
        message, code, subcode, fbtrace_id = f"HTTP {http_status} from Meta", None, None, ""
        transient = http_status >= 500
    kwargs: dict[str, Any] = {
        "code": code,
        "subcode": subcode,
        "http_status": http_status,
        "fbtrace_id": fbtrace_id,
        "payload": body,
    }
    return _classify(message, code, subcode, transient, http_status, retry_after, kwargs)


def _classify(
    message: str,
    code: int | None,
    subcode: int | None,
    transient: bool,
    http_status: int,
    retry_after: float | None,
    kwargs: dict[str, Any],
) -> MetaError:
    lowered = message.lower()
    if code == 1 and "reduce the amount of data" in lowered:
        return ReduceData(message, **kwargs)
    if code == 100 and subcode == 2108006:
        return BeforeBusinessConversion(message, **kwargs)
    if code == 100 and subcode == 33:
        return ObjectMissing(message, **kwargs)
    if code == 100 and "nonexisting field" in lowered:
        return NonexistingField(message, **kwargs)
    if code == 110 and subcode == 2207013:
        return NotDiscoverable(message, **kwargs)
    if code == 190 or code == 102:
        return TokenInvalid(message, **kwargs)
    if code in RATE_LIMIT_CODES:
        return RateLimited(message, retry_after=retry_after or DEFAULT_RETRY_AFTER, **kwargs)
    if code == 9 and subcode == 2207042:
        return PublishLimitReached(message, **kwargs)
    if code == 9007 or subcode == 2207027:
        return ContainerNotReady(message, **kwargs)
    if code == 10 and subcode == 2534022:
        return OutsideMessagingWindow(message, **kwargs)
    if (code == 100 and subcode == 2534014) or code == 551:
        return RecipientUnavailable(message, **kwargs)
    if code == 10 and "not enough viewers" in lowered:
        return NotEnoughViewers(message, **kwargs)
    if code == 10 or (code is not None and 200 <= code <= 299):
        return PermissionMissing(message, **kwargs)
    if code == 100 and "metric" in lowered:
        return UnsupportedMetric(message, **kwargs)
    if transient or code in TRANSIENT_CODES or (code is None and http_status >= 500):
        return TransientError(message, **kwargs)
    return BadRequest(message, **kwargs)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
