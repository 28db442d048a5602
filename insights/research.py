"""The analysis page across profiles: its post frame read from the database in two queries, the
tables insights.formulas makes of it, the one-sentence answer, and its downloads.

Two queries whatever the number of posts or profiles: the period's media (only the columns the
statistics need, read as arrays by insights.columns) and the follower counts of those profiles.
The work is pandas' over the period's posts, which bench/research_pages.py keeps under budget.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from collector.models import Media, Profile, ProfileSnapshot
from insights import columns, file_formats, formulas
from insights.aggregates import INTERACTIONS, KIND_CODE, KINDS
from insights.columns import EpochDays, EpochMicroseconds
from insights.models import MediaKind
from insights.periods import Period

# What the statistics read of each post (`posted`: microseconds since the epoch, UTC).
POST_COLUMNS = {"id": "int", "profile_id": "int", "kind": "int", "posted": "int"} | dict.fromkeys(
    ("reach", "views", "interactions"), "float"
)
TABLES = ("types", "heatmap", "posts")
FORMATS = file_formats.CONTENT_TYPES


def min_posts(params: Mapping[str, str]) -> int:
    """The minimum number of posts per heatmap cell and answer window (?min=, 1 to 50)."""
    value = params.get("min", "")
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else formulas.DEFAULT_MIN_POSTS


def account_label(profile: Profile) -> str:
    return f"@{profile.username}" if profile.username else profile.name or profile.meta_id


def follower_snapshots(profile_ids: Iterable[int]) -> pd.DataFrame:
    """Every recorded follower count of the profiles (one row a day at most): one query."""
    known = ProfileSnapshot.objects.filter(profile_id__in=list(profile_ids), followers_count__isnull=False)
    # In no order (followers_on sorts them): the model's ordering would join the profiles to sort.
    query = known.order_by().values_list("profile_id", EpochDays("date"), "followers_count")
    frame = pd.DataFrame.from_records(columns.rows(query), columns=["profile_id", "day", "followers"])
    frame["day"] = pd.to_datetime(frame["day"], unit="D")
    return frame


def posts(
    profiles: list[Profile],
    period: Period,
    zone: ZoneInfo,
    snapshots: pd.DataFrame | None = None,
    detail: bool = True,
) -> pd.DataFrame:
    """One row per post of the period (deleted ones left out) in time order, with its local time,
    follower count at the time it was posted and both engagement rates. Without `detail` (the
    page, not the posts download) the media ids are not read."""
    start, end = period.bounds()
    media = Media.objects.filter(
        profile__in=[profile.pk for profile in profiles], is_deleted=False, timestamp__gte=start, timestamp__lt=end
    ).annotate(kind=KIND_CODE, interactions=INTERACTIONS, posted=EpochMicroseconds("timestamp"))
    kinds = POST_COLUMNS | {"meta_id": "str"} if detail else POST_COLUMNS
    values = columns.read(media.order_by().values_list(*kinds), kinds)
    # Time order, sorted here rather than by the database: sums (the means) then add up the same.
    order = np.lexsort((values["id"], values["posted"]))
    labels = {profile.pk: account_label(profile) for profile in profiles}
    profile_ids = values["profile_id"][order]
    frame = pd.DataFrame({"profile_id": profile_ids})
    # Account and media type as categories in lexical order: pandas groups them by their codes.
    frame["account"] = _categories(profile_ids, labels)
    frame["kind"] = pd.Categorical.from_codes(values["kind"][order].astype(np.int8), categories=KINDS)
    if detail:
        frame["media_id"] = pd.array(values["meta_id"][order], dtype="string")
    frame["posted_at_utc"] = pd.to_datetime(values["posted"][order], unit="us", utc=True)
    frame["posted_local"] = frame["posted_at_utc"].dt.tz_convert(zone).dt.tz_localize(None)
    frame["day"] = frame["posted_local"].dt.normalize()
    for name in ("reach", "views", "interactions"):
        frame[name] = values[name][order]
    current = {profile.pk: profile.followers_count for profile in profiles}
    known = follower_snapshots(labels) if snapshots is None else snapshots
    found = formulas.followers_on(known, frame, current)
    frame["followers"], frame["followers_source"] = found["followers"], found["followers_source"]
    return formulas.with_rates(frame)


def _categories(profile_ids: np.ndarray, labels: dict[int, str]) -> pd.Categorical:
    """Each post's account label, from its profile id, as a category of the sorted labels."""
    accounts = pd.Index(sorted(set(labels.values())), dtype="string")
    pks = np.array(sorted(labels), dtype=np.int64)
    code_of_pk = np.array([accounts.get_loc(labels[pk]) for pk in pks], dtype=np.int64)
    return pd.Categorical.from_codes(code_of_pk[np.searchsorted(pks, profile_ids)], categories=accounts)


def followers_by_day(profiles: list[Profile], start: date, end: date) -> dict[tuple[int, date], float | None]:
    """Followers of each profile on each day of [start, end], as the statistics module reads them
    from the snapshots and Meta's follower_count history (interpolated between counts): one query."""
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    wanted = pd.DataFrame([(profile.pk, day) for profile in profiles for day in days], columns=["profile_id", "day"])
    current = {profile.pk: profile.followers_count for profile in profiles}
    found = formulas.followers_on(follower_snapshots([profile.pk for profile in profiles]), wanted, current)
    return {
        (int(row.profile_id), row.day): (None if pd.isna(row.followers) else float(row.followers))
        for row in found.itertuples()
    }


@dataclass
class Analysis:
    profiles: list[Profile]
    period: Period
    zone: ZoneInfo
    min_posts: int
    posts: pd.DataFrame
    snapshots: pd.DataFrame  # the profiles' recorded follower counts (profile_id, day, followers)
    heat_kind: str = ""  # the heatmap's media type; "" for all of them
    types: pd.DataFrame = field(init=False)
    heatmap: pd.DataFrame = field(init=False)
    slot: formulas.Slot | None = field(init=False)

    def __post_init__(self) -> None:
        self.types = formulas.media_type_table(self.posts)
        of_kind = self.posts[self.posts["kind"] == self.heat_kind] if self.heat_kind else self.posts
        self.heatmap = formulas.hour_of_week(of_kind, self.min_posts, by=("account",))
        self.slot = formulas.best_slot(self.posts, self.min_posts)

    @property
    def answer(self) -> str | None:
        """ "@ifma.caxias, reels, Tue-Thu 18-21 h: median ER by reach 11.2 %, n = 23"."""
        slot = self.slot
        if slot is None:
            return None
        days = WEEKDAYS_ABBR[slot.first_day - 1]
        if slot.last_day != slot.first_day:
            days = f"{days}\u2013{WEEKDAYS_ABBR[slot.last_day - 1]}"
        return _(
            "%(account)s, %(kind)s, %(days)s %(start)s–%(end)s h: median ER by reach %(rate)s %%, n = %(n)s"  # noqa: RUF001
        ) % {
            "account": slot.account,
            "kind": MediaKind(slot.kind).plural,
            "days": days,
            "start": slot.start_hour,
            "end": slot.end_hour,
            "rate": number_format(round(slot.median_er_reach, 1), 1),  # number_format cuts, not rounds
            "n": slot.posts,
        }

    def type_rows(self) -> list[dict[str, Any]]:
        rows = self.types.astype(object).where(self.types.notna(), None).to_dict("records")
        for row in rows:
            row["label"] = MediaKind(row["kind"]).label
        return rows

    def heat_rows(self) -> list[dict[str, Any]]:
        """Per account, 7 weekday rows of 24 cells: posts, the median (None under the minimum)
        and a shade 1-5 relative to the highest median shown."""
        shown = self.heatmap[self.heatmap["meets_minimum"]]
        peak = float(shown["median_er_reach"].max()) if len(shown) else 0.0
        cells = {(row.account, row.weekday, row.hour): row for row in self.heatmap.itertuples()}
        result = []
        for number, account in enumerate(sorted(self.posts["account"].dropna().unique()), start=1):
            days = []
            for weekday in range(1, 8):
                row = []
                for hour in range(24):
                    cell = cells.get((account, weekday, hour))
                    row.append(_cell(cell, peak))
                days.append((weekday, row))
            result.append((account, f"heatmap-{number}", days))
        return result

    def follower_notes(self) -> list[str]:
        """Which profiles had no follower count recorded in the period, and what was used instead."""
        snapshots = self.snapshots
        notes = []
        for profile in self.profiles:
            if formulas.snapshot_days_in(snapshots, profile.pk, self.period.start, self.period.end):
                continue
            label = account_label(profile)
            if (snapshots["profile_id"] == profile.pk).any():
                note = _("%(account)s: no follower count was recorded in this period; the nearest counts recorded before and after it were used, interpolated between them.")  # fmt: skip  # noqa: E501
            elif profile.followers_count is not None:
                note = _("%(account)s: no follower count is stored yet; its current count was used for every post.")
            else:
                note = _("%(account)s: no follower count is known; its engagement rate by followers is left empty.")
            notes.append(note % {"account": label})
        return notes

    def table(self, name: str) -> pd.DataFrame:
        """The downloadable tables: the same numbers as the page, one vocabulary, ids as text."""
        if name == "types":
            return self.types.rename(columns={"kind": "media_type"})
        if name == "heatmap":
            return self.heatmap.assign(time_zone=self.zone.key)
        if "media_id" not in self.posts:
            raise ValueError("the posts table needs analyse(..., detail=True)")
        columns = ["account", "media_id", "kind", "posted_at_utc", "posted_local", "reach", "views", "interactions"]
        frame = self.posts[[*columns, "followers", "followers_source", "er_reach", "er_followers"]]
        frame = frame.rename(columns={"kind": "media_type"})
        # The categories the statistics group by, written as the text they are.
        frame = frame.astype({"account": "string", "media_type": str, "followers_source": str})
        frame["weekday"] = frame["posted_local"].dt.isocalendar().day.astype(int)
        frame["hour"] = frame["posted_local"].dt.hour
        return frame.assign(time_zone=self.zone.key)


def _cell(cell: Any, peak: float) -> dict[str, Any]:
    if cell is None:
        return {"posts": 0, "median": None, "level": 0, "below": False}
    if not cell.meets_minimum:
        return {"posts": int(cell.posts), "median": None, "level": 0, "below": True}
    level = max(1, round(5 * cell.median_er_reach / peak)) if peak else 1
    return {"posts": int(cell.posts), "median": float(cell.median_er_reach), "level": level, "below": False}


def analyse(
    profiles: list[Profile], period: Period, zone: ZoneInfo, min_posts: int, heat_kind: str = "", detail: bool = True
) -> Analysis:
    """The page's statistics; `detail` reads what only the posts table needs (the media ids)."""
    heat_kind = heat_kind if heat_kind in MediaKind.values else ""
    snapshots = follower_snapshots([profile.pk for profile in profiles])
    frame = posts(profiles, period, zone, snapshots, detail)
    return Analysis(profiles, period, zone, max(1, min_posts), frame, snapshots, heat_kind)


def download(frame: pd.DataFrame, file_format: str, sheet: str) -> bytes:
    """One table as a file. Ids are strings in every format (Parquet string columns, XLSX text
    cells, quoted CSV fields); times are written without a zone, which the column names give."""
    frame = frame.copy()
    for column in frame.select_dtypes(include="datetimetz").columns:
        frame[column] = frame[column].dt.tz_localize(None)
    for column in [name for name in frame.columns if name.endswith("_id") or name in ("account", "media_type")]:
        frame[column] = frame[column].astype("string")
    buffer = io.BytesIO()
    if file_format == "csv":
        frame.to_csv(buffer, index=False, date_format="%Y-%m-%dT%H:%M:%S", quoting=2)  # QUOTE_NONNUMERIC
    elif file_format == "xlsx":
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    else:
        frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
