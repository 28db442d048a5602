"""A delivery split into changes, and the record of what handling them did.

A delivery holds entries; an entry holds changes (`changes[]`), a flat `field`/`value` (the
Instagram Login shape) or `messaging[]`. Every one of them becomes a `Change`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
    except (TypeError, ValueError):
        return default or datetime.now(UTC)
    if number > 1e11:
        number /= 1000
    return datetime.fromtimestamp(number, UTC)


@dataclass(frozen=True)
class Change:
    object: str
    entry_id: str
    time: datetime
    field: str
    value: dict[str, Any]


def messaging_field(item: dict[str, Any]) -> str:
    return next((name for key, name in MESSAGING_FIELDS.items() if key in item), "messaging")


def split(payload: dict[str, Any]) -> Iterator[Change]:
    obj = str(payload.get("object") or "")
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        entry_id = str(entry.get("id") or "")
        when = meta_time(entry.get("time"))
        if "field" in entry:
            yield Change(obj, entry_id, when, str(entry["field"]), _as_dict(entry.get("value")))
        for change in entry.get("changes") or []:
            if isinstance(change, dict):
                yield Change(obj, entry_id, when, str(change.get("field") or ""), _as_dict(change.get("value")))
        for item in entry.get("messaging") or []:
            if isinstance(item, dict):
                yield Change(obj, entry_id, meta_time(item.get("timestamp"), when), messaging_field(item), item)


def field_names(payload: Any) -> set[str]:
    """The fields a delivery touches; cheap enough for the request path (no database)."""
    if not isinstance(payload, dict):
        return set()
    return {change.field for change in split(payload)}


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


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
        }


