"""The research statistics, as pure functions on pandas frames: no Django, no database.

The analysis page, its downloads, the engagement page's heatmap and the dataset releases all
call these, so one formula gives one number wherever it is read. A post frame has one row per
post with at least: account, kind, posted_local (naive local wall-clock time), reach, views,
interactions, followers; `with_rates` adds er_reach and er_followers (percent, NaN when the
denominator is missing or zero: a missing value is never a 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

DEFAULT_MIN_POSTS = 3
SLOT_HOURS = 3  # the answer's hour windows: 0-3, 3-6, … 21-24
MAX_SPAN_DAYS = 3  # …on one to three consecutive weekdays (Mon-Sun, not wrapping)
# How each post's follower count was found (the formula page names them).
SNAPSHOT, INTERPOLATED, NEAREST, CURRENT, UNKNOWN = "snapshot", "interpolated", "nearest", "current", "unknown"
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
    result = wanted[["profile_id", "day"]].copy()
    result["followers"] = np.nan
    result["followers_source"] = UNKNOWN
    known = snapshots.dropna(subset=["followers"])
    for profile_id, rows in result.groupby("profile_id", sort=False):
        own = known[known["profile_id"] == profile_id].sort_values("day")
        days = _ordinals(rows["day"])
        if own.empty:
            count = (current or {}).get(int(profile_id))
            if count is not None:
                result.loc[rows.index, ["followers", "followers_source"]] = [float(count), CURRENT]
            continue
        x, y = _ordinals(own["day"]), own["followers"].to_numpy(dtype=float)
        result.loc[rows.index, "followers"] = np.interp(days, x, y)
        source = np.where(np.isin(days, x), SNAPSHOT, np.where((days > x[0]) & (days < x[-1]), INTERPOLATED, NEAREST))
        result.loc[rows.index, "followers_source"] = source
    return result


def _ordinals(days: pd.Series) -> np.ndarray:
    return np.array([day.toordinal() for day in days], dtype=float)


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
    grouped = posts.groupby(["account", "kind"], sort=True)
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
    return table.reset_index()[["account", "kind", *TYPE_COLUMNS]]


def hour_of_week(posts: pd.DataFrame, min_posts: int = DEFAULT_MIN_POSTS, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The median engagement rate by reach of the posts of each (weekday 1-7, hour 0-23) cell,
    per `by` group: posts counts the posts with a known rate; meets_minimum is False for cells
    under `min_posts`, whose median the page greys out and the answer never picks."""
    columns = [*by, "weekday", "hour", "posts", "median_er_reach", "meets_minimum"]
    rated = posts.dropna(subset=["er_reach"])
    if rated.empty:
        return pd.DataFrame(columns=columns)
    local = rated["posted_local"]
    keyed = rated.assign(weekday=local.dt.isocalendar().day.astype(int), hour=local.dt.hour)
    grouped = keyed.groupby([*by, "weekday", "hour"], sort=True)["er_reach"]
    cells = pd.DataFrame({"posts": grouped.size(), "median_er_reach": grouped.median()}).reset_index()
    cells["meets_minimum"] = cells["posts"] >= min_posts
    return cells[columns]


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
    window. None if none qualifies."""
    rated = posts.dropna(subset=["er_reach"])
    if rated.empty:
        return None
    weekday = rated["posted_local"].dt.isocalendar().day.astype(int).to_numpy()
    block = (rated["posted_local"].dt.hour // SLOT_HOURS).to_numpy()
    spans = []
    for length in range(1, MAX_SPAN_DAYS + 1):
        for first in range(1, 9 - length):
            inside = (weekday >= first) & (weekday < first + length)
            part = rated[inside].assign(first_day=first, last_day=first + length - 1, block=block[inside])
            spans.append(part[["account", "kind", "first_day", "last_day", "block", "er_reach"]])
    grouped = pd.concat(spans).groupby(["account", "kind", "first_day", "last_day", "block"])["er_reach"]
    windows = pd.DataFrame({"posts": grouped.size(), "median": grouped.median()}).reset_index()
    windows = windows[windows["posts"] >= min_posts]
    if windows.empty:
        return None
    windows["days"] = windows["last_day"] - windows["first_day"]
    windows = windows.sort_values(
        ["median", "posts", "days", "first_day", "block", "account", "kind"],
        ascending=[False, False, True, True, True, True, True],
    )
    top = windows.iloc[0]
    return Slot(
        account=str(top["account"]),
        kind=str(top["kind"]),
        first_day=int(top["first_day"]),
        last_day=int(top["last_day"]),
        start_hour=int(top["block"]) * SLOT_HOURS,
        end_hour=int(top["block"]) * SLOT_HOURS + SLOT_HOURS,
        median_er_reach=float(top["median"]),
        posts=int(top["posts"]),
    )


def hashtags(posts: pd.DataFrame, limit: int = 30) -> pd.DataFrame:
    """Hashtags in the captions (case-folded, one count per post): posts, median reach and
    median ER by reach of the posts that carry each, the most used first."""
    columns = ["hashtag", "posts", "median_reach", "median_er_reach"]
    if posts.empty:
        return pd.DataFrame(columns=columns)
    tags = posts["caption"].fillna("").str.lower().str.findall(r"#(\w+)").map(lambda found: sorted(set(found)))
    exploded = posts.assign(hashtag=tags).explode("hashtag").dropna(subset=["hashtag"])
    if exploded.empty:
        return pd.DataFrame(columns=columns)
    grouped = exploded.groupby("hashtag")
    table = pd.DataFrame(
        {
            "posts": grouped.size(),
            "median_reach": grouped["reach"].median(),
            "median_er_reach": grouped["er_reach"].median(),
        }
    ).reset_index()
    return table.sort_values(["posts", "hashtag"], ascending=[False, True]).head(limit)[columns]


def snapshot_days_in(snapshots: pd.DataFrame, profile_id: int, start: date, end: date) -> int:
    """How many days of [start, end] have a recorded follower count for the profile."""
    own = snapshots[(snapshots["profile_id"] == profile_id) & snapshots["followers"].notna()]
    return int(((own["day"] >= start) & (own["day"] <= end)).sum())
