"""The research statistics, as pure functions on pandas frames: no Django, no database.

The analysis page, its downloads, the engagement page's heatmap and the dataset releases all
call these, so one formula gives one number wherever it is read. A post frame has one row per
post with at least: account, kind, posted_local (naive local wall-clock time), reach, views,
interactions, followers; `with_rates` adds er_reach and er_followers (percent, NaN when the
denominator is missing or zero: a missing value is never a 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

DEFAULT_MIN_POSTS = 3
SLOT_HOURS = 3  # the answer's hour windows: 0-3, 3-6, … 21-24
MAX_SPAN_DAYS = 3  # …on one to three consecutive weekdays (Mon-Sun, not wrapping)
# How each post's follower count was found (the formula page names them).
SNAPSHOT, INTERPOLATED, NEAREST, CURRENT, UNKNOWN = "snapshot", "interpolated", "nearest", "current", "unknown"
SOURCES = (SNAPSHOT, INTERPOLATED, NEAREST, CURRENT, UNKNOWN)
HASHTAG = re.compile(r"#(\w+)")
TYPE_COLUMNS = [
    "posts",
    "median_er_reach",
    "mean_er_reach",
    "median_er_followers",
    "mean_er_followers",
    "reach",
    "views",
    "interactions",
]


def followers_on(
    snapshots: pd.DataFrame, wanted: pd.DataFrame, current: dict[int, int | None] | None = None
) -> pd.DataFrame:
    """Followers of each (profile_id, day) in `wanted`, from the (profile_id, day, followers)
    snapshots: the day's own count, else a straight line between the snapshots either side,
    else the nearest snapshot's count (before the first or after the last), else the profile's
    current count (no snapshot at all). Returns `wanted` with followers and followers_source."""
    ids = wanted["profile_id"].to_numpy()
    days = _ordinals(wanted["day"])
    followers = np.full(len(wanted), np.nan)
    source = np.full(len(wanted), SOURCES.index(UNKNOWN), dtype=np.int8)  # positions in SOURCES
    known = snapshots.dropna(subset=["followers"])
    known_ids, known_days = known["profile_id"].to_numpy(), _ordinals(known["day"])
    known_values = known["followers"].to_numpy(dtype=float)
    for profile_id in pd.unique(ids):
        rows, own = ids == profile_id, known_ids == profile_id
        if not own.any():
            count = (current or {}).get(int(profile_id))
            if count is not None:
                followers[rows], source[rows] = float(count), SOURCES.index(CURRENT)
            continue
        order = np.argsort(known_days[own])
        x, y, at = known_days[own][order], known_values[own][order], days[rows]
        followers[rows] = np.interp(at, x, y)
        between = np.where((at > x[0]) & (at < x[-1]), SOURCES.index(INTERPOLATED), SOURCES.index(NEAREST))
        source[rows] = np.where(np.isin(at, x), SOURCES.index(SNAPSHOT), between)
    found = pd.Categorical.from_codes(source, categories=SOURCES)  # a category: no string per row
    return pd.DataFrame(
        {"profile_id": ids, "day": wanted["day"].to_numpy(), "followers": followers, "followers_source": found},
        index=wanted.index,
    )


def _ordinals(days: pd.Series) -> np.ndarray:
    """Days (dates, datetimes or ISO strings) as day numbers, for interpolating on them."""
    return (
        pd.to_datetime(pd.Series(list(days) if not isinstance(days, pd.Series) else days))
        .to_numpy("datetime64[D]")
        .astype(np.int64)
        .astype(float)
    )


def with_rates(posts: pd.DataFrame) -> pd.DataFrame:
    """er_reach = interactions / reach x 100 and er_followers = interactions / followers at the
    time of the post x 100, per post; NaN where the denominator is unknown or zero."""
    frame = posts.copy()
    interactions = frame["interactions"].astype(float)
    reach = frame["reach"].astype(float).where(frame["reach"].astype(float) > 0)
    followers = frame["followers"].astype(float).where(frame["followers"].astype(float) > 0)
    frame["er_reach"] = 100.0 * interactions / reach
    frame["er_followers"] = 100.0 * interactions / followers
    return frame


def er_by_followers(interactions: pd.Series, followers: pd.Series) -> float | None:
    """The mean over posts of interactions / followers at the post's time x 100 (posts whose
    followers are unknown are left out); None when no post has a known follower count."""
    rates = 100.0 * interactions.astype(float) / followers.astype(float).where(followers.astype(float) > 0)
    rates = rates.dropna()
    return float(rates.mean()) if len(rates) else None


def media_type_table(posts: pd.DataFrame) -> pd.DataFrame:
    """Account x media type: posts, median and mean of both rates, summed reach, views and
    interactions (a sum over no known value stays missing, not 0)."""
    grouped = posts.groupby(["account", "kind"], sort=True, observed=True)
    table = pd.DataFrame(
        {
            "posts": grouped.size(),
            "median_er_reach": grouped["er_reach"].median(),
            "mean_er_reach": grouped["er_reach"].mean(),
            "median_er_followers": grouped["er_followers"].median(),
            "mean_er_followers": grouped["er_followers"].mean(),
            "reach": grouped["reach"].sum(min_count=1),
            "views": grouped["views"].sum(min_count=1),
            "interactions": grouped["interactions"].sum(min_count=1),
        }
    )
    return _plain(table.reset_index()[["account", "kind", *TYPE_COLUMNS]])


def hour_of_week(posts: pd.DataFrame, min_posts: int = DEFAULT_MIN_POSTS, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The median engagement rate by reach of the posts of each (weekday 1-7, hour 0-23) cell,
    per `by` group: posts counts the posts with a known rate; meets_minimum is False for cells
    under `min_posts`, whose median the page greys out and the answer never picks."""
    columns = [*by, "weekday", "hour", "posts", "median_er_reach", "meets_minimum"]
    rated = _rated(posts, [*by, "posted_local"])
    if rated.empty:
        return pd.DataFrame(columns=columns)
    local = rated["posted_local"]
    keyed = rated[[*by, "er_reach"]].assign(weekday=weekday_of(local), hour=local.dt.hour)
    grouped = keyed.groupby([*by, "weekday", "hour"], sort=True, observed=True)["er_reach"]
    cells = pd.DataFrame({"posts": grouped.size(), "median_er_reach": grouped.median()}).reset_index()
    cells["meets_minimum"] = cells["posts"] >= min_posts
    return _plain(cells[columns])


def _rated(posts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The posts with a known ER by reach, with only `keys` and that rate (not a copy of every column)."""
    return posts.loc[posts["er_reach"].notna(), [*keys, "er_reach"]]


def weekday_of(local: pd.Series) -> pd.Series:
    """ISO weekday, 1 (Monday) to 7 (Sunday), of naive local times."""
    return (local.dt.day_of_week + 1).astype(np.int64)


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """A result table's category columns (account, kind: see insights.research) as their values."""
    for column in table.select_dtypes(include="category").columns:
        table[column] = table[column].astype(table[column].cat.categories.dtype)
    return table


@dataclass(frozen=True)
class Slot:
    """The answer: the account, media type and weekly window with the highest median rate."""

    account: str
    kind: str
    first_day: int  # ISO weekday
    last_day: int
    start_hour: int
    end_hour: int
    median_er_reach: float
    posts: int


def best_slot(posts: pd.DataFrame, min_posts: int = DEFAULT_MIN_POSTS) -> Slot | None:
    """Over every account x media type x 1 to MAX_SPAN_DAYS consecutive weekdays x SLOT_HOURS
    hour window, the one with the highest median ER by reach among those with at least
    `min_posts` posts; ties go to more posts, then the fewest weekdays, then the earliest
    window, then the account and the media type first in alphabetical order (whatever the order
    of the rows). None if none qualifies."""
    rated = _rated(posts, ["account", "kind", "posted_local"])
    if rated.empty:
        return None
    accounts, account_names = pd.factorize(rated["account"], sort=True)
    kinds, kind_names = pd.factorize(rated["kind"], sort=True)
    weekday = weekday_of(rated["posted_local"]).to_numpy()
    block = (rated["posted_local"].dt.hour // SLOT_HOURS).to_numpy(dtype=np.int64)
    values = rated["er_reach"].to_numpy(dtype=float)
    # Each post belongs to every run of `length` weekdays that contains its weekday: one integer
    # key per (account, kind, length, first weekday, block), so one groupby finds every median.
    keys, rates = [], []
    for length in range(1, MAX_SPAN_DAYS + 1):
        for offset in range(length):
            first = weekday - offset
            inside = (first >= 1) & (first + length - 1 <= 7)
            key = (((accounts * len(kind_names) + kinds) * 8 + length) * 8 + first) * 8 + block
            keys.append(key[inside])
            rates.append(values[inside])
    grouped = pd.Series(np.concatenate(rates)).groupby(np.concatenate(keys))
    windows = pd.DataFrame({"posts": grouped.size(), "median": grouped.median()})
    windows = windows[windows["posts"] >= min_posts]
    if windows.empty:
        return None
    key = windows.index.to_numpy()
    block_of, first_of, length_of = key % 8, key // 8 % 8, key // 64 % 8
    # Highest median, then most posts, fewest weekdays, earliest weekday, earliest hours.
    order = np.lexsort((block_of, first_of, length_of, -windows["posts"].to_numpy(), -windows["median"].to_numpy()))
    best = int(order[0])
    pair = int(key[best] // 512)
    return Slot(
        account=str(account_names[pair // len(kind_names)]),
        kind=str(kind_names[pair % len(kind_names)]),
        first_day=int(first_of[best]),
        last_day=int(first_of[best] + length_of[best] - 1),
        start_hour=int(block_of[best]) * SLOT_HOURS,
        end_hour=int(block_of[best]) * SLOT_HOURS + SLOT_HOURS,
        median_er_reach=float(windows["median"].iloc[best]),
        posts=int(windows["posts"].iloc[best]),
    )


def hashtags(posts: pd.DataFrame, limit: int = 30) -> pd.DataFrame:
    """Hashtags in the captions (case-folded, one count per post): posts, median reach and
    median ER by reach of the posts that carry each, the most used first."""
    reach: dict[str, list[float]] = {}
    rates: dict[str, list[float]] = {}
    for caption, post_reach, rate in zip(posts["caption"], posts["reach"], posts["er_reach"], strict=True):
        for tag in set(HASHTAG.findall(caption.lower())) if isinstance(caption, str) and "#" in caption else ():
            reach.setdefault(tag, []).append(post_reach)
            rates.setdefault(tag, []).append(rate)
    table = pd.DataFrame(
        {
            "hashtag": list(reach),
            "posts": [len(values) for values in reach.values()],
            "median_reach": [_median(values) for values in reach.values()],
            "median_er_reach": [_median(values) for values in rates.values()],
        },
        columns=["hashtag", "posts", "median_reach", "median_er_reach"],
    )
    return table.sort_values(["posts", "hashtag"], ascending=[False, True]).head(limit).reset_index(drop=True)


def _median(values: list[float]) -> float:
    known = [value for value in values if value == value]  # NaN != NaN: unknown values are left out
    return float(np.median(known)) if known else float("nan")


def snapshot_days_in(snapshots: pd.DataFrame, profile_id: int, start: date, end: date) -> int:
    """How many days of [start, end] have a recorded follower count for the profile."""
    own = snapshots[(snapshots["profile_id"] == profile_id) & snapshots["followers"].notna()]
    days = _ordinals(own["day"])
    first, last = pd.Timestamp(start).to_datetime64(), pd.Timestamp(end).to_datetime64()
    bounds = np.array([first, last], dtype="datetime64[D]").astype(np.int64)
    return int(((days >= bounds[0]) & (days <= bounds[1])).sum())
