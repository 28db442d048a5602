"""The post list, per profile and across profiles: every post of a period, filtered by media type
and caption text, sorted by any stored metric in SQL, paginated, and a hashtag table of the
filtered posts computed from their captions (no call to Meta).

Queries do not grow with the data: the page's count and rows, the follower counts of its
profiles (for the rate by followers of the rows shown), and the hashtag columns of the filtered
posts (caption, reach, interactions: three columns, read once).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pandas as pd
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from collector.models import Media, Profile
from insights import columns, formulas, periods, research
from insights.aggregates import INTERACTIONS, KIND
from insights.models import MediaKind

PAGE_SIZE = 50
DEFAULT_PERIOD = "90"
# Sort key -> (column, label). ER by followers is not a stored column (it needs the followers
# on each post's day, interpolated): it is shown per row, sorting by it is not offered.
SORTS: dict[str, tuple[str, Any]] = {
    "posted": ("timestamp", _("Posted")),
    "likes": ("like_count", _("Likes")),
    "comments": ("comments_count", _("Comments")),
    "saves": ("saved", _("Saves")),
    "shares": ("shares", _("Shares")),
    "reach": ("reach", _("Reach")),
    "views": ("views", _("Views")),
    "interactions": ("interactions", _("Interactions")),
    "er_reach": ("er_reach", _("Engagement rate by reach")),
}
ROW_FIELDS = (
    "id",
    "profile_id",
    "meta_id",
    "caption",
    "permalink",
    "media_url",
    "thumbnail_url",
    "children",
    "timestamp",
    "like_count",
    "comments_count",
    "saved",
    "shares",
    "reach",
    "views",
)


@dataclass(frozen=True)
class PostFilter:
    period: periods.Period
    kind: str = ""
    text: str = ""
    sort: str = "posted"
    descending: bool = True
    page: int = 1

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> PostFilter:
        chosen = {key: params.get(key, "") for key in ("period", "start", "end")}
        chosen["period"] = chosen["period"] or DEFAULT_PERIOD
        sort = params.get("sort", "posted")
        page = params.get("page", "1")
        return cls(
            period=periods.from_query(chosen),
            kind=params.get("kind", "") if params.get("kind", "") in MediaKind.values else "",
            text=(params.get("q", "") or "").strip()[:100],
            sort=sort if sort in SORTS else "posted",
            descending=params.get("order", "desc") != "asc",
            page=int(page) if page.isdigit() and int(page) > 0 else 1,
        )

    def query(self, **changes: object) -> str:
        """The query string of this filter with `changes` (for sort links and pages)."""
        values = {"kind": self.kind, "q": self.text, "sort": self.sort, "order": "desc" if self.descending else "asc"}
        values.update({key: str(value) for key, value in changes.items()})
        period = dict(parse_qs(self.period.query()))
        return urlencode({**{key: value[0] for key, value in period.items()}, **{k: v for k, v in values.items() if v}})


def matching(profiles: list[Profile], chosen: PostFilter) -> QuerySet[Media]:
    start, end = chosen.period.bounds()
    media = Media.objects.filter(
        profile__in=[profile.pk for profile in profiles], is_deleted=False, timestamp__gte=start, timestamp__lt=end
    ).annotate(kind=KIND, interactions=INTERACTIONS)
    if chosen.kind:
        media = media.filter(kind=chosen.kind)
    if chosen.text:
        media = media.filter(caption__icontains=chosen.text)
    return media


def listing(profiles: list[Profile], chosen: PostFilter, zone: ZoneInfo) -> Page:
    """The page of posts asked for, each with its kind label, thumbnail and both rates."""
    column = SORTS[chosen.sort][0]
    media = matching(profiles, chosen)
    # By ER, the index media_live_er_reach (collector migration 0016) gives the page's rows in order.
    order = F(column).desc(nulls_last=True) if chosen.descending else F(column).asc(nulls_last=True)
    rows = media.order_by(order, "-timestamp", "-id").values(*ROW_FIELDS, "kind", "interactions", "er_reach")
    page = Paginator(rows, PAGE_SIZE).get_page(chosen.page)
    labels = {profile.pk: research.account_label(profile) for profile in profiles}
    posts = list(page.object_list)
    frame = pd.DataFrame(
        {
            "profile_id": [post["profile_id"] for post in posts],
            "day": [post["timestamp"].astimezone(zone).date() for post in posts],
        }
    )
    current = {profile.pk: profile.followers_count for profile in profiles}
    followers = formulas.followers_on(research.follower_snapshots(labels), frame, current)["followers"].tolist()
    for post, count in zip(posts, followers, strict=True):
        post["account"] = labels[post["profile_id"]]
        post["kind_label"] = MediaKind(post["kind"]).label
        post["thumbnail"] = thumbnail(post)
        post["er_followers"] = None if pd.isna(count) or not count else 100.0 * post["interactions"] / count
    page.object_list = posts
    return page


def hashtag_table(profiles: list[Profile], chosen: PostFilter) -> list[dict[str, Any]]:
    """Posts, median reach and median ER by reach per hashtag over every filtered post."""
    tagged = matching(profiles, chosen).filter(caption__contains="#").order_by()
    rows = columns.rows(tagged.values_list("caption", "reach", "er_reach"))  # er_reach: Media's, as with_rates'
    frame = pd.DataFrame.from_records(rows, columns=["caption", "reach", "er_reach"])
    table = formulas.hashtags(frame.astype({"reach": float, "er_reach": float}))
    return table.astype(object).where(table.notna(), None).to_dict("records")


def thumbnail(post: Mapping[str, Any], now: float | None = None) -> str:
    """The picture Meta gave for the post (a video's thumbnail, an image, a carousel's first
    child) while its signed URL is valid; "" once Meta's `oe` expiry (hex seconds) has passed."""
    first = (post.get("children") or [{}])[0] if isinstance(post.get("children"), list) else {}
    url = post.get("thumbnail_url") or post.get("media_url") or first.get("thumbnail_url") or first.get("media_url")
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return ""
    expiry = parse_qs(urlsplit(url).query).get("oe", [""])[0]
    try:
        expired = bool(expiry) and int(expiry, 16) <= (now if now is not None else time.time())
    except ValueError:
        expired = False
    return "" if expired else url
