"""Extract -> transform -> load, one media page at a time.

Extract is meta.instagram's page generator. Transform turns a raw page into a clean pandas
frame: aware UTC times, one row per media, Meta's enum spellings normalised, insights
flattened into columns, engagement components filled. Load upserts the frame in one
transaction, keyed on (profile, Meta id), and touches only rows whose facts changed; a
changed insight reading also appends a MediaInsight capture. Running a page twice changes
nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from collector.models import Media, MediaInsight, Profile

GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"
PRODUCT_TYPES = {"REEL": "REELS", "POST": "FEED", "CAROUSEL_CONTAINER": "FEED", "": "FEED"}
MEDIA_TYPES = {"CAROUSEL_CONTAINER": "CAROUSEL_ALBUM", "CAROUSEL": "CAROUSEL_ALBUM"}
INSIGHT_COLUMNS = [
    f.name
    for f in MediaInsight._meta.get_fields()
    if f.name
    in {
        "reach",
        "views",
        "likes",
        "comments",
        "saved",
        "shares",
        "total_interactions",
        "reposts",
        "follows",
        "profile_visits",
        "ig_reels_avg_watch_time",
        "ig_reels_video_view_total_time",
        "replies",
        "navigation",
    }
]
# Compared to decide whether a stored media changed. CDN URLs are left out on purpose: Meta
# signs them anew on every read, so they would make every row look changed every time.
COMPARED = [
    "caption",
    "media_type",
    "media_product_type",
    "permalink",
    "timestamp",
    "like_count",
    "comments_count",
    "children",
    "reach",
    "views",
    "saved",
    "shares",
    "total_interactions",
    "is_deleted",
]
UPDATED = [*COMPARED, "media_url", "thumbnail_url", "raw", "insights_updated_at", "updated_at"]
DENORMALISED = ["reach", "views", "saved", "shares", "total_interactions"]


def metric_values(insights: Any) -> dict[str, Any]:
    """{metric: value} from an insights body: `values[0].value`, or `total_value.value`."""
    out: dict[str, Any] = {}
    for item in (insights or {}).get("data") or []:
        total = item.get("total_value") or {}
        values = item.get("values") or [{}]
        value = total.get("value", values[0].get("value"))
        if item.get("name") in INSIGHT_COLUMNS and isinstance(value, int | float):
            out[item["name"]] = int(value)
        if item.get("name") == "navigation" and total.get("breakdowns"):
            out["navigation_breakdown"] = {
                r["dimension_values"][0]: r["value"] for r in total["breakdowns"][0].get("results", [])
            }
    return out


def transform(items: list[dict[str, Any]]) -> pd.DataFrame:
    """A clean frame, one row per media id, from the raw media of one page."""
    if not items:
        return pd.DataFrame(columns=["meta_id", *COMPARED, *INSIGHT_COLUMNS])
    frame = pd.DataFrame(
        {
            "meta_id": [str(item["id"]) for item in items],
            "caption": [item.get("caption") or "" for item in items],
            "media_type": [str(item.get("media_type") or "").upper() for item in items],
            "media_product_type": [str(item.get("media_product_type") or "").upper() for item in items],
            "permalink": [item.get("permalink") or "" for item in items],
            "media_url": [item.get("media_url") or "" for item in items],
            "thumbnail_url": [item.get("thumbnail_url") or "" for item in items],
            "timestamp": [item.get("timestamp") for item in items],
            "like_count": [item.get("like_count") for item in items],
            "comments_count": [item.get("comments_count") for item in items],
            "children": [(item.get("children") or {}).get("data", []) for item in items],
            "raw": [{k: v for k, v in item.items() if k != "insights"} for item in items],
            "insights_raw": [item.get("insights") or {} for item in items],
        }
    )
    insights = pd.DataFrame([metric_values(item.get("insights")) for item in items], columns=INSIGHT_COLUMNS)
    frame = pd.concat([frame, insights], axis=1)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format=GRAPH_TIME, utc=True)
    frame["media_product_type"] = frame["media_product_type"].replace(PRODUCT_TYPES)
    frame["media_type"] = frame["media_type"].replace(MEDIA_TYPES)
    # Engagement components: the media fields are authoritative for likes and comments (they
    # are current; insights may lag 48 h); the total is recomputed when Meta gave none.
    frame["likes"] = frame["like_count"].combine_first(frame["likes"])
    frame["comments"] = frame["comments_count"].combine_first(frame["comments"])
    components = frame[["likes", "comments", "saved", "shares"]]
    has_insights = frame[["reach", "views"]].notna().any(axis=1)
    computed = (
        components.fillna(0).sum(axis=1).where(has_insights & components[["saved", "shares"]].notna().all(axis=1))
    )
    frame["total_interactions"] = frame["total_interactions"].combine_first(computed)
    frame["is_deleted"] = False
    frame = frame.dropna(subset=["timestamp"]).drop_duplicates(subset="meta_id", keep="first")
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _comparable(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[name] for name in COMPARED)


@dataclass
class LoadResult:
    seen: int
    upserted: int
    captures: int


def load(profile: Profile, frame: pd.DataFrame, captured_at: datetime | None = None) -> LoadResult:
    """Upsert one transformed page in one transaction; only changed or new media are written."""
    if frame.empty:
        return LoadResult(0, 0, 0)
    captured_at = captured_at or timezone.now()
    rows = frame.to_dict("records")
    existing = {
        values["meta_id"]: values
        for values in Media.objects.filter(profile=profile, meta_id__in=[r["meta_id"] for r in rows]).values(
            "meta_id", "insights_updated_at", *COMPARED
        )
    }
    changed: list[Media] = []
    readings: dict[str, dict[str, Any]] = {}
    for row in rows:
        old = existing.get(row["meta_id"])
        values = {name: row[name] for name in COMPARED}
        for name in ("like_count", "comments_count", *DENORMALISED):
            values[name] = _int(values[name])
        if old is not None:
            # A page without insights (a fresh media, or a fallback page) keeps the stored ones.
            for name in DENORMALISED:
                if values[name] is None:
                    values[name] = old[name]
            if _comparable(values) == _comparable(old):
                continue
        insight_changed = any(row[name] is not None for name in INSIGHT_COLUMNS) and (
            old is None or any(values[name] != old[name] for name in DENORMALISED)
        )
        media = Media(
            profile=profile,
            meta_id=row["meta_id"],
            media_url=row["media_url"],
            thumbnail_url=row["thumbnail_url"],
            raw=row["raw"],
            insights_updated_at=captured_at if insight_changed else (old or {}).get("insights_updated_at"),
            **values,
        )
        changed.append(media)
        if insight_changed:
            readings[row["meta_id"]] = {name: _int(row[name]) for name in INSIGHT_COLUMNS} | {
                "raw": row["insights_raw"]
            }
    if not changed:
        return LoadResult(len(rows), 0, 0)
    with transaction.atomic():
        saved = Media.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["profile", "meta_id"], update_fields=UPDATED
        )
        captures = [
            MediaInsight(media_id=media.pk, captured_at=captured_at, **readings[media.meta_id])
            for media in saved
            if media.meta_id in readings
        ]
        MediaInsight.objects.bulk_create(captures, ignore_conflicts=True)
    return LoadResult(len(rows), len(changed), len(captures))


def run_page(profile: Profile, page: dict[str, Any], captured_at: datetime | None = None) -> LoadResult:
    return load(profile, transform(page.get("data") or []), captured_at)
