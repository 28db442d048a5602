"""What a connected account and a public one (Business Discovery) can honestly be compared on.

Public data has likes, comments, posts and followers, and no reach, views, saves, shares or
stories. So Compare adds, for every row alike: engagement by followers from likes + comments,
posting frequency, the media mix and follower growth (from the daily snapshots), all without
stories; the other rows say "not public" for a public account instead of a zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from collector.models import Profile
from discovery.models import public_profiles
from insights import metrics
from insights.models import DailyMetric, MediaKind
from insights.periods import Period
from insights.reports import CompareRow

FEED_KINDS = (MediaKind.REEL, MediaKind.CAROUSEL, MediaKind.IMAGE)


@dataclass
class Comparable:
    public_data: bool = False
    posts: int = 0
    likes: int = 0
    comments: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    er_public: float | None = None
    posts_per_week: float | None = None

    @property
    def mix(self) -> list[tuple[str, float]]:
        """(kind label, share of the period's posts in percent), stories left out."""
        if not self.posts:
            return []
        return [(str(kind.label), 100.0 * self.by_kind.get(kind, 0) / self.posts) for kind in FEED_KINDS]


def annotate(rows: list[CompareRow], period: Period) -> None:
    """Give each row its `comparable` figures: one query whatever the number of rows."""
    ids = [row.profile.pk for row in rows]
    public = set(public_profiles(Profile.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    found: dict[int, Comparable] = defaultdict(Comparable)
    sums = (
        DailyMetric.objects.filter(profile_id__in=ids, date__gte=period.start, date__lte=period.end)
        .exclude(kind=MediaKind.STORY)
        .values("profile_id", "kind")
        .annotate(posts=Sum("posts"), likes=Sum("likes"), comments=Sum("comments"))
        .order_by()
    )
    for row in sums:
        item = found[row["profile_id"]]
        item.posts += row["posts"] or 0
        item.likes += row["likes"] or 0
        item.comments += row["comments"] or 0
        item.by_kind[row["kind"]] = row["posts"] or 0
    for row in rows:
        item = found[row.profile.pk]
        item.public_data = row.profile.pk in public
        item.er_public = metrics.er_by_followers(item.likes + item.comments, item.posts, row.totals.followers)
        item.posts_per_week = 7.0 * item.posts / period.days if period.days else None
        row.comparable = item


NOT_PUBLIC = _("not public")
