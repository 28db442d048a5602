"""Exports for notebooks: media, insights, comments and daily metrics as CSV, XLSX or Parquet.

Rows are read from the database in chunks and turned into pandas frames with fixed dtypes, so
every chunk has the same schema; insights/file_formats.py writes them. Times are UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from collector.coded import CODEBOOK
from collector.models import AudienceSnapshot, Comment, DataGap, Media, MediaInsight, Profile
from insights import file_formats
from insights.aggregates import kind_of
from insights.models import DailyMetric
from insights.periods import Period
from insights.research import account_label
from meta.metrics import COLLECTED
from storyvault.models import StoryKeep

CHUNK_ROWS = 5000
# pandas dtypes per column kind: nullable, so a chunk of nulls keeps the column's type.
DTYPES = {
    "int": "Int64",
    "str": "string",
    "id": "string",  # Meta's ids: 17-19 digits, text in every format (a float keeps only 15-17 digits)
    "time": "datetime64[ns, UTC]",
    "bool": "boolean",
    "float": "Float64",
    "date": "object",
    "hidden": "string",  # MediaInsight.suppressed, written "replies<5,reach<5": hidden by Meta below 5
}


@dataclass(frozen=True)
class Dataset:
    columns: tuple[tuple[str, str, str], ...]  # (output name, ORM path, kind)

    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        raise NotImplementedError

    def records(self, profile: Profile, period: Period) -> Iterator[tuple[Any, ...]]:
        """The rows as tuples in column order (a dataset may unnest them in Python)."""
        values = self.rows(profile, period).values_list(*(F(path) for _name, path, _kind in self.columns))
        return values.iterator(chunk_size=CHUNK_ROWS)

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame


class MediaDataset(Dataset):
    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        start, end = period.bounds()
        media = Media.objects.filter(profile=profile, timestamp__gte=start, timestamp__lt=end)
        return media.annotate(media_kind=kind_of()).order_by("timestamp")


class InsightDataset(Dataset):
    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        start, end = period.bounds()
        return (
            MediaInsight.objects.filter(media__profile=profile, media__timestamp__gte=start, media__timestamp__lt=end)
            .annotate(media_kind=kind_of("media__"))
            .order_by("media__timestamp", "captured_at")
        )


class StoryDataset(Dataset):
    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        start, end = period.bounds()
        return StoryKeep.objects.filter(profile=profile, posted_at__gte=start, posted_at__lt=end).order_by("posted_at")


class CommentDataset(Dataset):
    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        start, end = period.bounds()
        return Comment.objects.filter(profile=profile, timestamp__gte=start, timestamp__lt=end).order_by("timestamp")

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A comment no classifier coded yet (`coded_by` empty) has empty codes, not "neutral, no flags"."""
        uncoded = frame["coded_by"].fillna("") == ""
        if uncoded.any():
            frame.loc[uncoded, [name for name, *_rest in CODED_COLUMNS]] = pd.NA
        return frame


class DailyDataset(Dataset):
    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        return DailyMetric.objects.filter(profile=profile, date__gte=period.start, date__lte=period.end).order_by(
            "date", "kind"
        )


class GapDataset(Dataset):
    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        start, end = period.bounds()
        return DataGap.objects.filter(profile=profile).overlapping(start, end).order_by("started_at", "reason")


class AudienceDataset(Dataset):
    """One row per day, metric, breakdown and segment; a breakdown Meta withheld is one row with
    empty segment and accounts and its reason in `withheld` (never a zero)."""

    def rows(self, profile: Profile, period: Period) -> QuerySet[Any]:
        return AudienceSnapshot.objects.filter(profile=profile, date__gte=period.start, date__lte=period.end).order_by(
            "date", "metric", "breakdown"
        )

    def records(self, profile: Profile, period: Period) -> Iterator[tuple[Any, ...]]:
        fields = ("date", "metric", "breakdown", "timeframe", "values", "withheld")
        for day, metric, breakdown, timeframe, values, withheld in self.rows(profile, period).values_list(*fields):
            if values is None:
                yield (day, metric, breakdown, timeframe, None, None, withheld or None)
                continue
            for segment, accounts in sorted(values.items(), key=lambda pair: (-pair[1], pair[0])):
                yield (day, metric, breakdown, timeframe, segment, accounts, None)


# The classifier's codes (collector.coded.CODEBOOK defines each column for the dataset codebook).
CODED_COLUMNS = tuple((entry.column, entry.column, entry.kind) for entry in CODEBOOK)
_MEDIA_METRICS = tuple(
    (name, name, "int")
    for name in ("like_count", "comments_count", "reach", "views", "saved", "shares", "total_interactions")
)
DATASETS: dict[str, Dataset] = {
    "media": MediaDataset(
        (
            ("media_id", "meta_id", "id"),
            ("posted_at_utc", "timestamp", "time"),
            ("media_type", "media_kind", "str"),  # MediaKind, as on every page and download
            ("graph_media_type", "media_type", "str"),  # Meta's own fields, for joining with Meta's data
            ("graph_product_type", "media_product_type", "str"),
            ("caption", "caption", "str"),
            ("permalink", "permalink", "str"),
            *_MEDIA_METRICS,
            ("insights_updated_at_utc", "insights_updated_at", "time"),
            ("insights_unavailable", "insights_unavailable", "str"),  # why Meta gave none: its metrics stay empty
        )
    ),
    "insights": InsightDataset(
        (
            ("media_id", "media__meta_id", "id"),
            ("media_type", "media_kind", "str"),
            ("captured_at_utc", "captured_at", "time"),
            *((name, name, "int") for name in COLLECTED),
            ("hidden_by_meta_below", "suppressed", "hidden"),
            # Where each row's values come from: live (read at captured_at), pre_expiry, webhook_final;
            # `unavailable` names why a row has no values (collector.models.Unavailable).
            ("provenance", "provenance", "str"),
            ("unavailable", "unavailable", "str"),
        )
    ),
    "stories": StoryDataset(
        (
            ("media_id", "media__meta_id", "str"),
            ("posted_at_utc", "posted_at", "time"),
            ("expires_at_utc", "expires_at", "time"),
            ("media_type", "media__media_type", "str"),
            ("file", "file_state", "str"),
            ("file_bytes", "file_bytes", "int"),
            ("missed", "missed", "bool"),
            ("missed_reason", "missed_reason", "str"),
            ("missed_detail", "missed_detail", "str"),
            *((name, f"media__{name}", "int") for name in ("reach", "views", "shares", "total_interactions")),
        )
    ),
    "comments": CommentDataset(
        (
            ("comment_id", "meta_id", "id"),
            ("media_id", "media__meta_id", "id"),
            ("parent_id", "parent__meta_id", "id"),
            ("username", "username", "str"),
            ("text", "text", "str"),
            ("posted_at_utc", "timestamp", "time"),
            ("like_count", "like_count", "int"),
            ("hidden", "hidden", "bool"),
            ("deleted", "is_deleted", "bool"),
            *CODED_COLUMNS,
        )
    ),
    "daily": DailyDataset(
        (
            ("date", "date", "date"),
            ("media_type", "kind", "str"),
            *(
                (name, name, "int")
                for name in ("posts", "reach", "views", "likes", "comments", "saves", "shares", "interactions")
            ),
        )
    ),
    "audience": AudienceDataset(
        (
            ("date", "date", "date"),
            ("metric", "metric", "str"),
            ("breakdown", "breakdown", "str"),
            ("timeframe", "timeframe", "str"),
            ("segment", "", "str"),
            ("accounts", "", "int"),
            ("withheld", "withheld", "str"),
        )
    ),
    # The periods with no data and why: an empty ended_at_utc is a gap still open.
    "gaps": GapDataset(
        (
            ("reason", "reason", "str"),
            ("started_at_utc", "started_at", "time"),
            ("ended_at_utc", "ended_at", "time"),
            ("detail", "detail", "str"),
        )
    ),
}
DATASET_CHOICES = (
    ("media", _("Media: one row per post, reel or story, with its latest metrics")),
    ("insights", _("Insights: every capture of each media's metrics over time, with its provenance")),
    ("stories", _("Story vault: every story kept, its file and, for a missed one, why")),
    ("comments", _("Comments and replies")),
    ("daily", _("Daily metrics: posts and their metrics per day and media kind")),
    ("audience", _("Audience: followers and engaged audience by age, gender, city, country; followers online by hour")),
    ("gaps", _("Data gaps: each period when data could not be collected, and why")),
)
FORMAT_CHOICES = (
    ("csv", _("CSV (spreadsheets, R, pandas)")),
    ("xlsx", _("Excel workbook")),
    ("parquet", _("Parquet (typed columns, fastest in pandas and R)")),
)


def id_columns(dataset_name: str) -> list[str]:
    """The columns that hold Meta's ids: read them as text (the export page says how)."""
    return ["account_id", *(name for name, _path, kind in DATASETS[dataset_name].columns if kind == "id")]


def frames(profile: Profile, dataset: Dataset, period: Period) -> Iterator[pd.DataFrame]:
    """The dataset as frames of CHUNK_ROWS rows with fixed dtypes; at least one (maybe empty).
    Each row starts with the account it belongs to (its @username and Meta id), so files of
    several profiles can be stacked without parsing their names."""
    names = [name for name, _path, _kind in dataset.columns]
    chunk: list[tuple[Any, ...]] = []
    sent = False
    for row in dataset.records(profile, period):
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield _with_account(_frame(chunk, names, dataset), profile)
            chunk, sent = [], True
    if chunk or not sent:
        yield _with_account(_frame(chunk, names, dataset), profile)


def _with_account(frame: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    frame.insert(0, "account_id", pd.Series([profile.meta_id] * len(frame), dtype="string", index=frame.index))
    frame.insert(0, "account", pd.Series([account_label(profile)] * len(frame), dtype="string", index=frame.index))
    return frame


def _frame(rows: list[tuple[Any, ...]], names: list[str], dataset: Dataset) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=names)
    for name, _path, kind in dataset.columns:
        if kind == "hidden":
            frame[name] = [",".join(f"{k}<{v}" for k, v in (d or {}).items()) or None for d in frame[name]]
    return dataset.finish(frame.astype({name: DTYPES[kind] for name, _path, kind in dataset.columns}))


def export(profile: Profile, dataset_name: str, file_format: str, period: Period) -> tuple[Iterator[bytes], str, str]:
    """The chunks of the file, its content type and its name."""
    dataset = DATASETS[dataset_name]
    chunks = frames(profile, dataset, period)
    writer = file_formats.WRITERS[file_format]
    handle = (profile.username or profile.meta_id).replace('"', "")
    filename = f"{handle}-{dataset_name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{file_format}"
    return writer(chunks), file_formats.CONTENT_TYPES[file_format], filename
