"""Reading a Facebook Page: its details, its posts with their insights, its daily insights.

- One posts page (up to 100 posts) carries every post field, the reaction and comment counts
  (`.summary(total_count).limit(0)`: the counts without the people) and the lifetime post
  insights, by field expansion.
- Page and post insights need `read_insights` besides `pages_read_engagement`. Without it the
  posts are still read, without insights, and the result says so (`insights=False`); Page
  insights raise PermissionMissing for the caller to report.
- Page insights are asked `period=day`, at most 90 days per call (Meta's cap), and come back one
  value per day whose `end_time` is the end of that day in Pacific time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from meta import metrics
from meta.client import GraphClient
from meta.errors import PermissionMissing

PAGE_SIZE = 100
MAX_DAYS = 90
GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"
PAGE_FIELDS = "id,name,username,about,category,link,website,followers_count,fan_count,picture{url}"
POST_FIELDS = (
    "id,message,created_time,permalink_url,full_picture,status_type,attachments{media_type,type},shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)
# Meta's attachment media_type -> the media types the collector knows.
MEDIA_TYPES = {"photo": "IMAGE", "album": "CAROUSEL_ALBUM", "video": "VIDEO"}


@dataclass(frozen=True)
class PageDetails:
    id: str
    name: str
    username: str
    about: str
    category: str
    website: str
    followers: int | None
    picture_url: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class PagePost:
    id: str
    message: str
    created_time: str  # Graph time, `2026-01-02T10:00:00+0000`
    permalink: str
    picture_url: str
    media_type: str  # IMAGE, CAROUSEL_ALBUM, VIDEO, or "" (text or link)
    reactions: int | None
    comments: int | None
    shares: int
    views: int | None  # None: no insights (too young, or read_insights missing)
    reach: int | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class PostPage:
    posts: list[PagePost]
    insights: bool  # False when the posts came without insights (read_insights missing)


@dataclass(frozen=True)
class PageDay:
    day: date
    views: int | None = None
    reach: int | None = None
    engagements: int | None = None
    follows: int | None = None
    unfollows: int | None = None
    followers: int | None = None


def get_page(client: GraphClient, page_id: str) -> PageDetails:
    body = client.get(page_id, {"fields": PAGE_FIELDS})
    return PageDetails(
        id=str(body.get("id", page_id)),
        name=body.get("name") or "",
        username=body.get("username") or "",
        about=body.get("about") or "",
        category=body.get("category") or "",
        website=body.get("website") or body.get("link") or "",
        followers=body.get("followers_count", body.get("fan_count")),
        picture_url=((body.get("picture") or {}).get("data") or {}).get("url") or "",
        raw=body,
    )


def _count(edge: Any) -> int | None:
    total = ((edge or {}).get("summary") or {}).get("total_count")
    return int(total) if isinstance(total, int) else None


def _post(item: dict[str, Any]) -> PagePost:
    readings = {
        entry.get("name"): (entry.get("values") or [{}])[0].get("value")
        for entry in (item.get("insights") or {}).get("data") or []
    }
    attachment = ((item.get("attachments") or {}).get("data") or [{}])[0]
    return PagePost(
        id=str(item["id"]),
        message=item.get("message") or "",
        created_time=item["created_time"],
        permalink=item.get("permalink_url") or "",
        picture_url=item.get("full_picture") or "",
        media_type=MEDIA_TYPES.get(attachment.get("media_type") or "", ""),
        reactions=_count(item.get("reactions")),
        comments=_count(item.get("comments")),
        shares=int((item.get("shares") or {}).get("count") or 0),  # absent when nobody shared
        views=readings.get("post_media_view"),
        reach=readings.get("post_total_media_view_unique"),
        raw={k: v for k, v in item.items() if k != "insights"},
    )


def post_pages(client: GraphClient, page_id: str, *, since: datetime | None = None) -> Iterator[PostPage]:
    """The Page's published posts, newest first, a page at a time (since `since` if given)."""
    with_insights = f"{POST_FIELDS},insights.metric({metrics.checked_page(metrics.PAGE_POST)})"
    params: dict[str, Any] = {"fields": with_insights, "limit": PAGE_SIZE}
    if since is not None:
        params["since"] = int(since.timestamp())
    insights = True
    while True:
        try:
            page = client.get(f"{page_id}/published_posts", params)
        except PermissionMissing:
            if not insights:
                raise
            insights, params = False, {**params, "fields": POST_FIELDS}
            page = client.get(f"{page_id}/published_posts", params)
        yield PostPage(posts=[_post(item) for item in page.get("data") or []], insights=insights)
        cursor = ((page.get("paging") or {}).get("cursors") or {}).get("after")
        if not page.get("data") or not (page.get("paging") or {}).get("next") or not cursor:
            return
        params = {**params, "after": cursor}  # the cursor, not `paging.next`: that URL repeats the token


FIELDS_OF_DAY = {
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_post_engagements": "engagements",
    "page_daily_follows_unique": "follows",
    "page_daily_unfollows_unique": "unfollows",
    "page_follows": "followers",
}


def page_insights(client: GraphClient, page_id: str, first: date, last: date) -> list[PageDay]:
    """One PageDay per complete day from `first` to `last` (both included), oldest first, in
    calls of at most 90 days. Raises PermissionMissing without read_insights."""
    days: dict[date, dict[str, int]] = {}
    start = first
    while start <= last:
        end = min(start + timedelta(days=MAX_DAYS - 1), last)
        params = {
            "metric": metrics.checked_page(metrics.PAGE_DAILY),
            "period": "day",
            # Noon UTC is inside the same Pacific day, whichever side of daylight saving.
            "since": int(datetime(start.year, start.month, start.day, 12, tzinfo=UTC).timestamp()),
            "until": int(datetime(end.year, end.month, end.day, 12, tzinfo=UTC).timestamp()) + 86400,
        }
        for item in client.get(f"{page_id}/insights", params).get("data") or []:
            field = FIELDS_OF_DAY.get(item.get("name"))
            for value in item.get("values") or []:
                # end_time is the end of the day it counts: the day before, in Pacific time.
                day = datetime.strptime(value["end_time"], GRAPH_TIME).date() - timedelta(days=1)
                if field and isinstance(value.get("value"), int) and first <= day <= last:
                    days.setdefault(day, {})[field] = value["value"]
        start = end + timedelta(days=1)
    return [PageDay(day=day, **values) for day, values in sorted(days.items())]
