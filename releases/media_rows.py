"""The media table's rows: each media with its latest metrics, and why a metric is empty.

The metrics Media keeps (the latest capture, copied for the pages) come with the row; the rest
(reposts, follows, watch times, story replies…) and what Meta withheld are read from each
media's latest MediaInsight, one query per chunk of media.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collector.models import InsightsUnavailable, MediaInsight, Profile
from insights import metrics as formulas
from insights.models import MediaKind
from meta import metrics
from releases.pseudonyms import Pseudonyms

ON_MEDIA = ("like_count", "comments_count", "reach", "views", "saved", "shares", "total_interactions")
ON_INSIGHT = (
    "reposts", "follows", "profile_visits", "ig_reels_avg_watch_time", "ig_reels_video_view_total_time",
    "replies", "navigation",
)  # fmt: skip
FIELDS = (
    "id", "meta_id", "timestamp", "media_type", "media_product_type", "caption", "permalink", "is_deleted",
    *ON_MEDIA, "insights_unavailable", "insights_updated_at",
)  # fmt: skip
COLUMNS = (
    "profile_id", "media_id", "posted_at_utc", "media_kind", "media_type", "product_type", "caption", "permalink",
    "deleted", *ON_MEDIA, *ON_INSIGHT, "interactions", "er_reach", "insights_updated_at_utc",
)  # fmt: skip
# Meta's metric name for a Media counter that has another name here.
META_NAME = {"like_count": "likes", "comments_count": "comments"}
# What a Facebook Page post has (collector.pages): reactions, comments, shares and the media-view metrics.
PAGE_POST = frozenset({"like_count", "comments_count", "shares", "reach", "views", "total_interactions"})
UNAVAILABLE = {
    InsightsUnavailable.BEFORE_BUSINESS_CONVERSION: "before_business_conversion",
    InsightsUnavailable.BELOW_PRIVACY_FLOOR: "hidden_by_meta_below_5",
}


def missing(value: Any, floor: int | None, not_for_type: bool = False, unavailable: str = "") -> str | None:
    """The code of releases.columns.MISSING_CODES saying why `value` is empty (None when it is not)."""
    if value is not None:
        return None
    if floor is not None:
        return f"hidden_by_meta_below_{floor}"
    if not_for_type:
        return "not_available_for_type"
    return UNAVAILABLE.get(unavailable, "not_collected")  # type: ignore[call-overload]


def _offered(profile: Profile, product_type: str, column: str) -> bool:
    if profile.is_page:
        return column in PAGE_POST
    return META_NAME.get(column, column) in metrics.for_product_type(product_type)


def _latest_insights(media_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Each media's newest capture: (ON_INSIGHT values..., suppressed)."""
    latest: dict[int, tuple[Any, ...]] = {}
    captures = MediaInsight.objects.filter(media_id__in=media_ids).order_by("media_id", "-captured_at")
    for media_id, *values in captures.values_list("media_id", *ON_INSIGHT, "suppressed"):
        latest.setdefault(media_id, tuple(values))
    return latest


def _interactions(counts: dict[str, Any]) -> int | None:
    """Meta's total_interactions when known, else the four counters (None when none is known)."""
    if counts["total_interactions"] is not None:
        return counts["total_interactions"]
    parts = [counts[name] for name in ("like_count", "comments_count", "saved", "shares")]
    return None if all(part is None for part in parts) else formulas.interactions(*parts)


def seconds(value: datetime | None) -> datetime | None:
    """Times to the second, as Meta gives them: CSV and Parquet then hold the same value."""
    return value.replace(microsecond=0) if value is not None else None


def rows(profile: Profile, chunk: list[tuple[Any, ...]], people: Pseudonyms) -> list[tuple[Any, ...]]:
    latest = _latest_insights([row[0] for row in chunk])
    empty = (None,) * len(ON_INSIGHT) + ({},)
    out = []
    for row in chunk:
        _pk, meta_id, posted, media_type, product, caption, permalink, deleted, *rest = row
        unavailable, updated = rest[len(ON_MEDIA)], rest[len(ON_MEDIA) + 1]
        *deep, suppressed = latest.get(row[0], empty)
        counts = dict(zip(ON_MEDIA + ON_INSIGHT, [*rest[: len(ON_MEDIA)], *deep], strict=True))
        cells: list[Any] = [
            profile.meta_id, meta_id, seconds(posted), MediaKind.of(media_type, product).value, media_type or None,
            product, people.text(caption), permalink or None, deleted,
        ]  # fmt: skip
        for name, value in counts.items():
            floor = (suppressed or {}).get(name)
            cells += [value, missing(value, floor, not _offered(profile, product, name), unavailable)]
        total = _interactions(counts)
        cells += [total, missing(total, None, False, unavailable)]
        rate = formulas.rate(total, counts["reach"])
        cells += [None if rate is None else round(rate, 6), None if rate is not None else "no_reach"]
        cells.append(seconds(updated))
        out.append(tuple(cells))
    return out
