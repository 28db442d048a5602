"""Instagram `story_insights`: a story's metrics for its 24 hours, sent as it expires.

Stored as the story's final MediaInsight and copied onto the Media like any latest capture.
Meta sends -1 for values under 5 (its privacy floor): those are stored as null with the floor in
`suppressed` ({column: 5}), never as -1 or 0, so pages and exports say "hidden by Meta below 5".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from collector.models import STORY_PRIVACY_FLOOR, MediaInsight, MediaProductType, Profile
from webhooks.changes import Batch, Change
from webhooks.store import media_for


def _count(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _suppressed(value: dict[str, Any]) -> dict[str, int]:
    """{column: floor} for the values Meta withheld (sent as -1)."""
    columns = {"reach": ("reach",), "replies": ("replies",), "navigation": ("taps_forward", "taps_back", "exits")}
    return {
        column: STORY_PRIVACY_FLOOR
        for column, keys in columns.items()
        if any(str(value.get(key)) == "-1" for key in keys)
    }


def handle(change: Change, profile: Profile, batch: Batch) -> None:
    value = change.value
    media_id = str(value.get("media_id") or "")
    if not media_id:
        batch.ignore("story_insights without media_id")
        return
    # A story we never saw was posted (at the latest) a day before its insights arrive.
    media = media_for(
        profile, media_id, batch, product_type=MediaProductType.STORY, seen_at=change.time - timedelta(days=1)
    )
    breakdown = {
        name: count
        for name, key in (("tap_forward", "taps_forward"), ("tap_back", "taps_back"), ("tap_exit", "exits"))
        if (count := _count(value.get(key))) is not None
    }
    reach = _count(value.get("reach"))
    MediaInsight.objects.update_or_create(
        media=media,
        captured_at=change.time,
        defaults={
            "reach": reach,
            "replies": _count(value.get("replies")),
            "navigation": sum(breakdown.values()) if breakdown else None,
            "navigation_breakdown": breakdown,
            "suppressed": _suppressed(value),
            "raw": {"source": "story_insights webhook", **value},
        },
    )
    media.reach = reach
    media.insights_updated_at = change.time
    media.save(update_fields=["reach", "insights_updated_at", "updated_at"])
