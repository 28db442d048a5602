"""A delivery split into changes, and the record of what handling them did.

A delivery holds entries; an entry holds changes (`changes[]`), a flat `field`/`value` (the
Instagram Login shape), `messaging[]`, or `standby[]` (messaging items of a conversation another
app owns, Meta's handover protocol). Every one of them becomes a `Change`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

REPLACEMENT = "\ufffd"

# A messaging item carries exactly one of these keys; it names the subscription field.
MESSAGING_FIELDS = {
    "message": "messages",
    "reaction": "message_reactions",
    "read": "messaging_seen",
    "message_edit": "message_edit",
    "postback": "messaging_postbacks",
}


def meta_time(value: Any, default: datetime | None = None) -> datetime:
    """Meta sends Unix seconds, or milliseconds in some messaging payloads."""
    try:
        number = float(value)
        if number > 1e11:
            number /= 1000
        return datetime.fromtimestamp(number, UTC)
    # NaN, Infinity and 1e308 are numbers to float() but no moment in time.
    except (TypeError, ValueError, OverflowError, OSError):
        return default or datetime.now(UTC)


@dataclass(frozen=True)
class Change:
    object: str
    entry_id: str
    time: datetime
    field: str
    value: dict[str, Any]
    standby: bool = False  # came in `standby[]`: another app owned the conversation

    @property
    def counted_as(self) -> str:
        """Its name in the delivery's report: a standby item is counted apart from live messaging."""
        return f"standby/{self.field}" if self.standby else self.field


def messaging_field(item: dict[str, Any]) -> str:
    return next((name for key, name in MESSAGING_FIELDS.items() if key in item), "messaging")


def split(payload: dict[str, Any]) -> Iterator[Change]:
    obj = _name(payload.get("object"))
    for entry in _as_list(payload.get("entry")):
        if not isinstance(entry, dict):
            continue
        entry_id = _name(entry.get("id"))
        when = meta_time(entry.get("time"))
        if "field" in entry:
            yield Change(obj, entry_id, when, _name(entry["field"]), _as_dict(entry.get("value")))
        for change in _as_list(entry.get("changes")):
            if isinstance(change, dict):
                yield Change(obj, entry_id, when, _name(change.get("field")), _as_dict(change.get("value")))
        for key in ("messaging", "standby"):
            for item in _as_list(entry.get(key)):
                if isinstance(item, dict):
                    moment = meta_time(item.get("timestamp"), when)
                    yield Change(obj, entry_id, moment, messaging_field(item), item, standby=key == "standby")


def field_names(payload: Any) -> set[str]:
    """The fields a delivery touches; cheap enough for the request path (no database)."""
    if not isinstance(payload, dict):
        return set()
    return {change.counted_as for change in split(payload)}


def _name(value: Any) -> str:
    """An object, id or field name as text; anything else (a list, a huge number) names nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**64:
        return str(value)
    return ""


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# -- what a delivery's bytes become, whatever they hold --------------------------------------------
@dataclass(frozen=True)
class Delivery:
    """What the request path learns from a body: never an exception, so the raw insert always runs."""

    payload: dict[str, Any] | None
    object: str
    fields: set[str]
    text: str
    exact: bytes | None  # the bytes themselves, when `text` cannot hold them


def read_delivery(body: bytes) -> Delivery:
    text, exact = body_text(body)
    try:
        payload = json.loads(text) if exact is None else None
    except (ValueError, RecursionError):  # 100,000 levels deep, or an integer over 4,300 digits
        payload = None
    if not isinstance(payload, dict):
        return Delivery(None, "", set(), text, exact)
    names = {clean_text(name) for name in field_names(payload)}
    return Delivery(payload, clean_text(_name(payload.get("object"))), names, text, exact)


def body_text(body: bytes) -> tuple[str, bytes | None]:
    """The body as text PostgreSQL can store, and the exact bytes when that text is not them."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="replace").replace("\x00", REPLACEMENT), body
    if "\x00" in text:
        return text.replace("\x00", REPLACEMENT), body
    return text, None


def clean_text(text: str) -> str:
    """PostgreSQL refuses NUL in text and JSONB, and no UTF-8 holds a lone surrogate: both become U+FFFD."""
    if text.isascii() and "\x00" not in text:
        return text
    text = text.replace("\x00", REPLACEMENT)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # JSON's "\ud83d\ude00" arrives already paired; what is left alone cannot be paired.
        text = text.encode("utf-16", errors="surrogatepass").decode("utf-16", errors="replace")
    return text


def storable(payload: Any) -> Any:
    """The payload with every string cleaned and NaN/Infinity as null, so handlers store what Meta said.

    Iterative: json.loads accepts nesting nearly as deep as the interpreter's recursion limit.
    """
    root = [payload]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        container, key = stack.pop()
        value = container[key]
        if isinstance(value, str):
            container[key] = clean_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            container[key] = None
        elif isinstance(value, list):
            stack.extend((value, index) for index in range(len(value)))
        elif isinstance(value, dict):
            if any(clean_text(name) != name for name in value):
                items = list(value.items())
                value.clear()
                value.update((clean_text(name), item) for name, item in items)
            stack.extend((value, name) for name in value)
    return root[0]


@dataclass
class Lookups:
    """Rows already read while processing a run of deliveries, so a burst about the same profile
    and media reads each once instead of once per delivery. Lives for one transaction."""

    profiles: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    media: dict[tuple[int, str], Any] = field(default_factory=dict)


@dataclass
class Batch:
    """What handling one delivery did, for the event's report and the follow-up work."""

    lookups: Lookups = field(default_factory=Lookups)
    handled: dict[str, int] = field(default_factory=dict)
    unhandled: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    needs_sync: set[int] = field(default_factory=set)
    mentions_to_fetch: list[int] = field(default_factory=list)
    tests: int = 0  # changes of the app dashboard's "Test" button (entry id "0")

    def ignore(self, reason: str) -> None:
        if reason not in self.ignored:
            self.ignored.append(reason)

    def report(self) -> dict[str, Any]:
        return {
            "handled": self.handled,
            "unhandled": self.unhandled,
            "ignored": self.ignored,
            "profiles": sorted(self.touched),
            "syncs_queued": sorted(self.needs_sync),
            **({"tests": self.tests} if self.tests else {}),
        }

    @property
    def only_tests(self) -> bool:
        return bool(self.tests) and not self.handled and not self.unhandled
