"""Instagram `story_insights`: a story's metrics for its 24 hours, sent about an hour after it ends.

Stored as the story's final MediaInsight (provenance `webhook_final`) and copied onto the Media
like any latest capture. A story we never read live is listed in the vault as missed, with why
(vault.missed).
Meta sends -1 for values under 5 (its privacy floor): those are stored as null with the floor in
`suppressed` ({column: 5}), never as -1 or 0, so pages and exports say "hidden by Meta below 5".
"""

from __future__ import annotations

from typing import Any

from collector.models import STORY_PRIVACY_FLOOR, MediaInsight, MediaProductType, Profile, Provenance
from storyvault import missed
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
    # A story we never saw was posted about 25 h before its insights arrive (24 h live, then an hour).
    posted = change.time - missed.LIFETIME - missed.WEBHOOK_AFTER_END
    media = media_for(profile, media_id, batch, product_type=MediaProductType.STORY, seen_at=posted)
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
            "provenance": Provenance.WEBHOOK_FINAL,
            "raw": {"source": "story_insights webhook", **value},
        },
    )
    media.reach = reach
    media.insights_updated_at = change.time
    media.save(update_fields=["reach", "insights_updated_at", "updated_at"])
    missed.note_final_values(media, change.time)
