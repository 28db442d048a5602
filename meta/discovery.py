"""Other accounts' public data (Business Discovery) and the media others tag an account in.

Business Discovery is a field of the *calling* account: `GET /{our-ig-user-id}?fields=
business_discovery.username(NAME){…}` on graph.facebook.com, with a Facebook Login token (there
is no such field on graph.instagram.com). One call carries NAME's profile and its newest media
page; older pages are asked through the nested edge's cursor, `media.after(CURSOR).limit(N)`,
and Meta's nested paging gives only `cursors.after` (no `next`). So a daily visit costs one call,
plus one per further page of new media: reading stops at the first media already stored.

Meta answers 110/2207013 (meta.errors.NotDiscoverable) for every account it will not show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH

PAGE_SIZE = 25
PROFILE_FIELDS = "id,username,name,biography,website,profile_picture_url,followers_count,follows_count,media_count"
MEDIA_FIELDS = "id,caption,like_count,comments_count,timestamp,media_type,media_product_type,permalink"
TAG_FIELDS = "id,caption,like_count,comments_count,timestamp,media_type,media_product_type,permalink,username"
TAG_PAGE_SIZE = 50


class WrongHost(ValueError):
    """Business Discovery needs a Facebook Login token (graph.facebook.com)."""


@dataclass
class PublicPage:
    """One Business Discovery answer: the profile (first page only) and a page of media."""

    profile: dict[str, Any] | None
    media: list[dict[str, Any]]
    after: str | None
    raw: dict[str, Any] = field(default_factory=dict)


def discovery_fields(username: str, *, profile: bool, after: str | None, limit: int) -> str:
    edge = "media" + (f".after({after})" if after else "") + f".limit({limit}){{{MEDIA_FIELDS}}}"
    inner = f"{PROFILE_FIELDS},{edge}" if profile else f"id,{edge}"
    return f"business_discovery.username({username}){{{inner}}}"


def discover(
    client: GraphClient, caller_id: str, username: str, *, after: str | None = None, limit: int = PAGE_SIZE
) -> PublicPage:
    """One call: the profile of `username` with its newest media, or (with `after`) the next page."""
    if client.host != FACEBOOK_GRAPH:
        raise WrongHost("Business Discovery is only on graph.facebook.com (Facebook Login)")
    fields = discovery_fields(username, profile=after is None, after=after, limit=limit)
    body = client.get(caller_id, {"fields": fields}).get("business_discovery") or {}
    media = body.get("media") or {}
    profile = {k: v for k, v in body.items() if k != "media"} if after is None else None
    cursor = ((media.get("paging") or {}).get("cursors") or {}).get("after")
    return PublicPage(profile=profile, media=list(media.get("data") or []), after=cursor, raw=body)


def new_media_pages(
    client: GraphClient,
    caller_id: str,
    username: str,
    *,
    is_known: Callable[[dict[str, Any]], bool],
    max_pages: int,
    limit: int = PAGE_SIZE,
) -> Iterator[PublicPage]:
    """The profile page, then further pages while every media of the last one was new: stops at
    the first known media (`is_known`), a short page, no cursor, or `max_pages`."""
    page = discover(client, caller_id, username, limit=limit)
    for number in range(1, max_pages + 1):
        yield page
        if number == max_pages or not page.after or len(page.media) < limit or any(map(is_known, page.media)):
            return
        page = discover(client, caller_id, username, after=page.after, limit=limit)


def tagged_pages(client: GraphClient, ig_user_id: str, since: datetime | None = None) -> Iterator[list[dict[str, Any]]]:
    """Media others tagged the account in, newest first, page by page, down to `since`."""
    params: dict[str, Any] = {"fields": TAG_FIELDS, "limit": TAG_PAGE_SIZE}
    while True:
        page = client.get(f"{ig_user_id}/tags", params)
        items = list(page.get("data") or [])
        fresh = [item for item in items if since is None or _time(item) >= since]
        yield fresh
        cursor = ((page.get("paging") or {}).get("cursors") or {}).get("after")
        if len(fresh) < len(items) or not items or not (page.get("paging") or {}).get("next") or not cursor:
            return
        params = {**params, "after": cursor}


def _time(item: dict[str, Any]) -> datetime:
    return parse_time(str(item.get("timestamp") or "1970-01-01T00:00:00+0000"))


def parse_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
