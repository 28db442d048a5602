"""Extract -> transform -> load, a chunk of media at a time.

Extract is meta.instagram's page generator. Transform turns raw media (one page or several)
into a clean pandas frame, column by column: aware UTC times, one row per media, Meta's enum
spellings normalised, insights flattened into columns, engagement components filled. Load
upserts the frame in one transaction with one `INSERT … ON CONFLICT (profile_id, meta_id) DO
UPDATE … WHERE (stored facts) IS DISTINCT FROM (new facts)` per thousand media: the database
compares, so nothing is read back into Python, and a row whose facts did not change is not
rewritten (its Postgres xmin stays). A media whose insight values changed (or a new one with
insights) gets a MediaInsight capture; running a chunk twice changes nothing the second time.
PostgreSQL and SQLite (`make run`) both speak this upsert.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from collector.models import Media, MediaInsight, Profile
from meta.metrics import COLLECTED

GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"
PRODUCT_TYPES = {"REEL": "REELS", "POST": "FEED", "CAROUSEL_CONTAINER": "FEED", "": "FEED"}
MEDIA_TYPES = {"CAROUSEL_CONTAINER": "CAROUSEL_ALBUM", "CAROUSEL": "CAROUSEL_ALBUM"}
INSIGHT_COLUMNS = list(COLLECTED)
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
    "insights_unavailable",
    "is_deleted",
]
# Insight values copied onto Media; a chunk without insights (a fresh media, a fallback page)
# keeps the stored ones.
DENORMALISED = ["reach", "views", "saved", "shares", "total_interactions"]
FROM_FRAME = ["meta_id", *COMPARED, "media_url", "thumbnail_url", "raw"]
INTEGERS = {"like_count", "comments_count", *INSIGHT_COLUMNS}
ROWS_PER_STATEMENT = 1000  # 22 parameters a row: under SQLite's 32,766 and Postgres' 65,535


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
    """A clean frame, one row per media id, from raw media (any number of pages at once)."""
    readings = [metric_values(item.get("insights")) for item in items]
    frame = pd.DataFrame(
        {
            "meta_id": [str(item["id"]) for item in items],
            "caption": [item.get("caption") or "" for item in items],
            "media_type": [item.get("media_type") or "" for item in items],
            "media_product_type": [item.get("media_product_type") or "" for item in items],
            "permalink": [item.get("permalink") or "" for item in items],
            "media_url": [item.get("media_url") or "" for item in items],
            "thumbnail_url": [item.get("thumbnail_url") or "" for item in items],
            "timestamp": [item.get("timestamp") for item in items],
            "like_count": [item.get("like_count") for item in items],
            "comments_count": [item.get("comments_count") for item in items],
            "children": [(item.get("children") or {}).get("data", []) for item in items],
            "raw": [{k: v for k, v in item.items() if k not in ("insights", "insights_unavailable")} for item in items],
            "insights_unavailable": [item.get("insights_unavailable") or "" for item in items],
            "insights_raw": [item.get("insights") or {} for item in items],
            "navigation_breakdown": [r.get("navigation_breakdown") or {} for r in readings],
            **{name: pd.array([r.get(name) for r in readings], dtype="Int64") for name in INSIGHT_COLUMNS},
        }
    )
    for name in ("like_count", "comments_count"):
        frame[name] = frame[name].astype("Int64")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format=GRAPH_TIME, utc=True)
    frame["media_product_type"] = frame["media_product_type"].str.upper().replace(PRODUCT_TYPES)
    frame["media_type"] = frame["media_type"].str.upper().replace(MEDIA_TYPES)
    # Engagement components: the media fields are authoritative for likes and comments (they
    # are current; insights may lag 48 h); the total is recomputed when Meta gave none.
    frame["likes"] = frame["like_count"].fillna(frame["likes"])
    frame["comments"] = frame["comments_count"].fillna(frame["comments"])
    components = frame[["likes", "comments", "saved", "shares"]]
    complete = frame[["reach", "views"]].notna().any(axis=1) & frame[["saved", "shares"]].notna().all(axis=1)
    frame["total_interactions"] = frame["total_interactions"].fillna(
        components.fillna(0).sum(axis=1).astype("Int64").where(complete)
    )
    frame["has_insights"] = frame[INSIGHT_COLUMNS].notna().any(axis=1)
    frame["is_deleted"] = False
    return frame.dropna(subset=["timestamp"]).drop_duplicates(subset="meta_id", keep="first").reset_index(drop=True)


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    """Plain Python values for the database driver: None for missing, int for counts."""
    series = frame[name]
    if name in INTEGERS:
        return [None if value is pd.NA else int(value) for value in series.tolist()]
    if name == "timestamp":
        return list(series.dt.to_pydatetime())
    return series.tolist()


def _prepared(field: Any, values: list[Any]) -> list[Any]:
    """Times and JSON as the backend stores them (Django's own adapters, so an ORM-written row
    and an upserted one compare equal)."""
    if field.get_internal_type() in ("JSONField", "DateTimeField"):
        return [field.get_db_prep_save(value, connection) for value in values]
    return values


def _insert(model: type[Media] | type[MediaInsight], columns: dict[str, list[Any]], tail: str) -> list[tuple[Any, ...]]:
    """INSERT the columns' rows, ending with `tail`; answers what a RETURNING tail returned.

    On PostgreSQL the rows travel as one JSON document read by jsonb_to_recordset(): a
    statement with thousands of placeholders (or arrays escaped element by element) costs
    more to bind than to run. SQLite binds natively, so it takes multi-row VALUES, at most
    ROWS_PER_STATEMENT rows a statement.
    """
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    # Only names from the models are spliced in; every value is a bound parameter.
    head = "INSERT INTO " + quote(model._meta.db_table) + " (" + ", ".join(quote(f.column) for f in fields) + ") "
    returning = " RETURNING " in tail
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            shape = ", ".join(quote(f.column) + " " + f.db_type(connection) for f in fields)
            document = json.dumps(
                [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)], default=str
            )
            sql = head + "SELECT * FROM jsonb_to_recordset(%s::jsonb) AS d(" + shape + ")" + tail  # noqa: S608
            cursor.execute(sql, [document])
            return cursor.fetchall() if returning else []
        values = [_prepared(field, column) for field, column in zip(fields, columns.values(), strict=True)]
        rows = list(zip(*values, strict=True))
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        returned: list[tuple[Any, ...]] = []
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            sql = head + "VALUES " + ", ".join([one] * len(chunk)) + tail
            cursor.execute(sql, [v for row in chunk for v in row])
            if returning:
                returned += cursor.fetchall()
        return returned


def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Media._meta.db_table)

    def stored(name: str) -> str:
        return f"{table}.{quote(name)}"

    def new(name: str) -> str:
        # A chunk without a reading keeps the stored insight values.
        fresh = f"EXCLUDED.{quote(name)}"
        return f"COALESCE({fresh}, {stored(name)})" if name in DENORMALISED else fresh

    assignments = [f"{quote(n)} = {new(n)}" for n in [*COMPARED, "media_url", "thumbnail_url", "raw", "updated_at"]]
    readings_changed = (
        f"({', '.join(new(n) for n in DENORMALISED)}) IS DISTINCT FROM ({', '.join(stored(n) for n in DENORMALISED)})"
    )
    assignments.append(
        f"{quote('insights_updated_at')} = CASE WHEN EXCLUDED.{quote('insights_updated_at')} IS NOT NULL"
        f" AND {readings_changed} THEN EXCLUDED.{quote('insights_updated_at')}"
        f" ELSE {stored('insights_updated_at')} END"
    )
    return (
        f" ON CONFLICT ({quote('profile_id')}, {quote('meta_id')}) DO UPDATE SET {', '.join(assignments)}"
        f" WHERE ({', '.join(stored(n) for n in COMPARED)}) IS DISTINCT FROM ({', '.join(new(n) for n in COMPARED)})"
        # Both times are this load's on a written row exactly when its reading changed.
        f" RETURNING {quote('id')}, {quote('meta_id')}, {quote('insights_updated_at')} = {quote('updated_at')}"
    )


@dataclass
class LoadResult:
    seen: int
    upserted: int
    captures: int


def load(profile: Profile, frame: pd.DataFrame, captured_at: datetime | None = None) -> LoadResult:
    """Upsert a transformed chunk in one transaction; the database writes only changed or new
    media, and a capture for each media whose insight reading changed."""
    if frame.empty:
        return LoadResult(0, 0, 0)
    captured_at = captured_at or timezone.now()
    count = len(frame)
    marks = [captured_at if has else None for has in frame["has_insights"].tolist()]
    columns = {
        "profile_id": [profile.pk] * count,
        **{name: _column(frame, name) for name in FROM_FRAME},
        "insights_updated_at": marks,
        "first_seen_at": [captured_at] * count,
        "updated_at": [captured_at] * count,
    }
    with transaction.atomic():
        written = _insert(Media, columns, _upsert_sql())
        readings = {meta_id: pk for pk, meta_id, reading_changed in written if reading_changed}
        captures = _capture(frame, readings, captured_at)
    return LoadResult(count, len(written), captures)


def _capture(frame: pd.DataFrame, media_ids: dict[str, int], captured_at: datetime) -> int:
    """One MediaInsight row per media whose reading changed."""
    if not media_ids:
        return 0
    changed = frame[frame["meta_id"].isin(media_ids.keys())]
    columns: dict[str, list[Any]] = {
        "media_id": [media_ids[meta_id] for meta_id in changed["meta_id"]],
        "captured_at": [captured_at] * len(changed),
        **{name: _column(changed, name) for name in INSIGHT_COLUMNS},
        "navigation_breakdown": changed["navigation_breakdown"].tolist(),
        "suppressed": [{}] * len(changed),  # Meta's Graph reads give values or errors, never -1
        "raw": changed["insights_raw"].tolist(),
    }
    quote = connection.ops.quote_name
    tail = f" ON CONFLICT ({quote('media_id')}, {quote('captured_at')}) DO NOTHING"
    _insert(MediaInsight, columns, tail)
    return len(changed)
