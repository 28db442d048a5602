"""What the engagement, profile and compare pages show, read from the daily aggregates.

Every function here runs a fixed number of queries whatever the number of posts: sums come from
DailyMetric and ProfileSnapshot (one row per day), and the few per-post lists are LIMITed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from collector.models import Media, MediaInsight, MediaProductType, Profile, ProfileSnapshot
from insights import metrics, research
from insights.aggregates import INTERACTIONS
from insights.models import DailyMetric, MediaKind
from insights.periods import Period

SUMMED = (
    "posts",
    "posts_with_reach",
    "reach",
    "views",
    "likes",
    "comments",
    "saves",
    "shares",
    "interactions",
    "interactions_with_reach",
)
SNAPSHOT_FIELDS = ("followers_count", "reach", "views", "accounts_engaged", "follows", "unfollows")


@dataclass
class Totals:
    """Sums over DailyMetric rows, and the rates the metrics module defines on them."""

    posts: int = 0
    posts_with_reach: int = 0
    reach: int = 0
    views: int = 0
    likes: int = 0
    comments: int = 0
    saves: int = 0
    shares: int = 0
    interactions: int = 0
    interactions_with_reach: int = 0
    followers: int | None = None  # at the end of the period: shown, not used by the rate
    # Sum over days of interactions / followers that day, and the posts of days with a count.
    follower_rate_sum: float = 0.0
    posts_with_followers: int = 0

    def add(self, row: Mapping[str, Any], followers: float | None = None) -> None:
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + (row[name] or 0))
        if followers:
            self.follower_rate_sum += (row["interactions"] or 0) / followers
            self.posts_with_followers += row["posts"] or 0

    @property
    def er_reach(self) -> float | None:
        return metrics.er_by_reach(self.interactions_with_reach, self.reach)

    @property
    def er_followers(self) -> float | None:
        """The mean over posts of interactions / followers on the day of the post x 100."""
        return metrics.er_by_followers_per_post(self.follower_rate_sum, self.posts_with_followers)


@dataclass
class AccountTotals:
    """Account insights over a period, from the daily profile snapshots."""

    reach: int | None = None
    views: int | None = None
    accounts_engaged: int | None = None
    follows: int | None = None
    unfollows: int | None = None
    followers_start: int | None = None
    followers_end: int | None = None
    counted_days: int = 0  # days of the period with a recorded follower count

    def add(self, snapshot: Mapping[str, Any]) -> None:
        self.counted_days += snapshot["followers_count"] is not None
        for name in ("reach", "views", "accounts_engaged", "follows", "unfollows"):
            value = snapshot[name]
            if value is not None:
                setattr(self, name, (getattr(self, name) or 0) + value)
        if snapshot["followers_count"] is not None:
            if self.followers_start is None:
                self.followers_start = snapshot["followers_count"]
            self.followers_end = snapshot["followers_count"]

    @property
    def follower_gain(self) -> int | None:
        if self.followers_start is None or self.followers_end is None:
            return None
        return self.followers_end - self.followers_start


@dataclass
class Comparison:
    """One number this period, the same number the period before, and the change."""

    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        return metrics.change(self.current, self.previous)


@dataclass
class Engagement:
    period: Period
    totals: Totals
    previous: Totals
    account: AccountTotals
    previous_account: AccountTotals
    by_kind: list[tuple[str, str, Totals]]
    series: list[dict[str, Any]]
    comparisons: dict[str, Comparison] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.totals.posts == 0 and self.account.reach is None and self.account.followers_end is None


def _sums(rows: QuerySet[DailyMetric], *group_by: str) -> list[dict[str, Any]]:
    """DailyMetric columns summed in PostgreSQL per group: a handful of rows reach Python."""
    sums = rows.values(*group_by).annotate(**{f"sum_{name}": Sum(name) for name in SUMMED}).order_by(*group_by)
    return [{**{key: row[key] for key in group_by}, **{name: row[f"sum_{name}"] for name in SUMMED}} for row in sums]


def _snapshots(profile_ids: Iterable[int], start: date, end: date) -> list[dict[str, Any]]:
    return list(
        ProfileSnapshot.objects.filter(profile_id__in=list(profile_ids), date__gte=start, date__lte=end)
        .order_by("date")
        .values("profile_id", "date", *SNAPSHOT_FIELDS)
    )


def _daily_series(rows: Any, period: Period) -> list[dict[str, Any]]:
    """The period's days for the charts, each with its sums (0 on a day without posts)."""
    daily = ("posts", "reach", "views", "interactions")
    per_day: dict[date, dict[str, int | None]] = {day: dict.fromkeys(daily, 0) for day in period.dates()}
    for row in _sums(rows, "date"):
        per_day[row["date"]] = {name: row[name] for name in daily}
    return [{"date": day.isoformat(), **values} for day, values in per_day.items()]


def engagement(profile: Profile, period: Period) -> Engagement:
    """The engagement page's numbers, this period against the previous one, in four queries."""
    previous = period.previous
    both = DailyMetric.objects.filter(profile=profile, date__gte=previous.start, date__lte=period.end)
    followers = research.followers_by_day([profile], previous.start, period.end)
    totals, before = Totals(), Totals()
    kinds: dict[str, Totals] = {kind.value: Totals() for kind in MediaKind}
    for row in _sums(both, "kind", "date"):
        on_day = followers.get((profile.pk, row["date"]))
        for side in (totals, kinds[row["kind"]]) if row["date"] >= period.start else (before,):
            side.add(row, on_day)
    account, previous_account = AccountTotals(), AccountTotals()
    for snapshot in _snapshots([profile.pk], previous.start, period.end):
        (account if snapshot["date"] >= period.start else previous_account).add(snapshot)
    totals.followers = account.followers_end if account.followers_end is not None else profile.followers_count
    before.followers = (
        previous_account.followers_end if previous_account.followers_end is not None else totals.followers
    )
    for kind_totals in kinds.values():
        kind_totals.followers = totals.followers

    report = Engagement(
        period=period,
        totals=totals,
        previous=before,
        account=account,
        previous_account=previous_account,
        by_kind=[(kind.value, kind.label, kinds[kind.value]) for kind in MediaKind],
        series=_daily_series(both.filter(date__gte=period.start), period),
    )
    report.comparisons = {
        "posts": Comparison(totals.posts, before.posts),
        "reach": Comparison(totals.reach, before.reach),
        "views": Comparison(totals.views, before.views),
        "interactions": Comparison(totals.interactions, before.interactions),
        "er_reach": Comparison(totals.er_reach, before.er_reach),
        "er_followers": Comparison(totals.er_followers, before.er_followers),
        "account_reach": Comparison(account.reach, previous_account.reach),
        "account_views": Comparison(account.views, previous_account.views),
        "accounts_engaged": Comparison(account.accounts_engaged, previous_account.accounts_engaged),
        "follower_gain": Comparison(account.follower_gain, previous_account.follower_gain),
    }
    return report


def feed_media(profile: Profile, period: Period) -> Any:
    start, end = period.bounds()
    return Media.objects.filter(profile=profile, is_deleted=False, timestamp__gte=start, timestamp__lt=end).exclude(
        media_product_type=MediaProductType.STORY
    )


def ranked_posts(profile: Profile, period: Period, limit: int = 5) -> tuple[list[Media], list[Media]]:
    """The period's most and least engaging feed posts and reels (two LIMITed queries)."""
    columns = (
        "id",
        "meta_id",
        "caption",
        "media_type",
        "media_product_type",
        "permalink",
        "timestamp",
        "like_count",
        "comments_count",
        "saved",
        "shares",
        "reach",
        "views",
        "total_interactions",
    )
    ranked = feed_media(profile, period).annotate(engagement=INTERACTIONS).only(*columns)
    top = list(ranked.order_by("-engagement", "-timestamp")[:limit])
    bottom = list(ranked.order_by("engagement", "-timestamp")[:limit]) if top else []
    for post in [*top, *bottom]:
        post.er_reach = metrics.rate(post.engagement, post.reach)
        post.kind_label = MediaKind(MediaKind.of(post.media_type, post.media_product_type)).label
    return top, bottom


# `suppressed`: the values Meta withheld below its privacy floor ({metric: floor}).
STORY_CAPTURE_FIELDS = ("captured_at", "reach", "views", "replies", "navigation", "shares", "suppressed")


def stories(profile: Profile, period: Period, limit: int = 12) -> list[dict[str, Any]]:
    """The period's latest stories, each with the last insights captured before it expired
    (one query: the capture's values come from correlated subqueries on the insight series)."""
    start, end = period.bounds()
    # A capture without values (the story had expired when asked, its first hour) is no last value.
    last = MediaInsight.objects.filter(media=OuterRef("pk"), unavailable="").order_by("-captured_at")
    return list(
        Media.objects.filter(
            profile=profile, media_product_type=MediaProductType.STORY, timestamp__gte=start, timestamp__lt=end
        )
        .annotate(**{f"last_{name}": Subquery(last.values(name)[:1]) for name in STORY_CAPTURE_FIELDS})
        .order_by("-timestamp")
        .values("timestamp", "permalink", "insights_unavailable", *(f"last_{name}" for name in STORY_CAPTURE_FIELDS))[
            :limit
        ]
    )


def follower_series(profile: Profile, days: int = 365) -> list[dict[str, Any]]:
    """Followers per day from the snapshots, for the growth chart (one query, ≤ `days` rows).
    `estimated` marks the days before connecting, worked back from Meta's daily new followers
    (collector.account_insights.account_history), rather than read."""
    snapshots = (
        ProfileSnapshot.objects.filter(profile=profile, followers_count__isnull=False)
        .order_by("-date")
        .values_list("date", "followers_count", "followers_estimated")[:days]
    )
    return [
        {"date": day.isoformat(), "followers": followers, "estimated": estimated}
        for day, followers, estimated in reversed(list(snapshots))
    ]


@dataclass
class CompareRow:
    profile: Profile
    totals: Totals
    account: AccountTotals
    comparable: Any = None  # insights.comparable.Comparable, set by its annotate()


def compare(profiles: list[Profile], period: Period) -> list[CompareRow]:
    """Several profiles over one period: two queries whatever the number of profiles."""
    ids = [profile.pk for profile in profiles]
    totals: dict[int, Totals] = defaultdict(Totals)
    accounts: dict[int, AccountTotals] = defaultdict(AccountTotals)
    in_period = DailyMetric.objects.filter(profile_id__in=ids, date__gte=period.start, date__lte=period.end)
    followers = research.followers_by_day(profiles, period.start, period.end)
    for row in _sums(in_period, "profile_id", "date"):
        totals[row["profile_id"]].add(row, followers.get((row["profile_id"], row["date"])))
    for snapshot in _snapshots(ids, period.start, period.end):
        accounts[snapshot["profile_id"]].add(snapshot)
    rows = []
    for profile in profiles:
        profile_totals = totals[profile.pk]
        account = accounts[profile.pk]
        profile_totals.followers = (
            account.followers_end if account.followers_end is not None else profile.followers_count
        )
        rows.append(CompareRow(profile, profile_totals, account))
    return rows
