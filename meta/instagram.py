"""Reading an Instagram professional account with as few calls as Meta allows.

- One media page (up to 100 media) carries every media field and the insights that FEED and
  REELS share (`meta.metrics.MEDIA_PAGE`), by field expansion. Stories never appear there.
- The metrics only one product type has (follows/profile_visits on FEED, watch times on
  REELS) cannot ride in a page: one unsupported metric fails the whole page. They are asked
  per media, 50 to a batch request on graph.facebook.com; graph.instagram.com has no batch
  endpoint, so there it costs one call per media. Meta counts each batch operation against
  the rate limit anyway: batching saves round trips, not budget. The collector therefore
  fetches these "deep" metrics on their own budgeted schedule, not in the backfill.
- `since`/`until` select a time window of the media edge (incremental syncs, insight
  refreshes by age); pages are yielded one at a time, never the whole account.
- The backfill's first page also carries the newest comments of its media (`comments.limit(n)`
  expanded inside the page, replies nested): the comments page has threads right after
  connecting at no extra call; polling reads the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from meta import metrics
from meta.client import BATCH_LIMIT, GraphClient
from meta.conf import FACEBOOK_GRAPH
from meta.errors import (
    BeforeBusinessConversion,
    MetaError,
    NonexistingField,
    NotEnoughViewers,
    PermissionMissing,
    ReduceData,
    UnsupportedMetric,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 100
# Why a media has no insights at all (Media.insights_unavailable).
BEFORE_BUSINESS_CONVERSION = "before_business_conversion"
BELOW_PRIVACY_FLOOR = "below_privacy_floor"
OPTIONAL_PROFILE_FIELDS = frozenset({"biography", "website"})
_refused_fields: dict[str, set[str]] = {}  # host -> optional profile fields it does not offer
PROFILE_FIELDS = "id,username,name,biography,website,profile_picture_url,followers_count,follows_count,media_count"
MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,media_url,permalink,thumbnail_url,timestamp,"
    "like_count,comments_count,children{id,media_type,media_url,thumbnail_url}"
)
COMMENT_FIELDS = "id,text,timestamp,username,like_count,hidden,from,parent_id"
THREAD_FIELDS = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"


def _insights(metric_names: Iterable[str]) -> str:
    return f"insights.metric({metrics.checked(metric_names)})"


def media_page_fields(metric_names: Iterable[str] | None = metrics.MEDIA_PAGE, comments: int = 0) -> str:
    """The media page's fields (no insights with `metric_names` None); with `comments`, each
    media's newest top-level comments (and their replies) ride along, `comments` per media at most."""
    fields = MEDIA_FIELDS if metric_names is None else f"{MEDIA_FIELDS},{_insights(metric_names)}"
    return f"{fields},comments.limit({comments}){{{THREAD_FIELDS}}}" if comments else fields


def get_profile(client: GraphClient, ig_user_id: str) -> dict[str, Any]:
    """The account's profile. A host that answers "nonexisting field" for an optional field
    (graph.instagram.com for biography/website, which Meta documents for Facebook Login only) is
    asked without it from then on in this process, and that is logged once."""
    fields = PROFILE_FIELDS if client.host == FACEBOOK_GRAPH else f"{PROFILE_FIELDS},account_type"
    refused = _refused_fields.setdefault(client.host, set())
    while True:
        try:
            return client.get(ig_user_id, {"fields": ",".join(f for f in fields.split(",") if f not in refused)})
        except NonexistingField as exc:
            if exc.field not in OPTIONAL_PROFILE_FIELDS or exc.field in refused:
                raise
            refused.add(exc.field)
            logger.warning("%s does not offer the profile field %s: read without it", client.host, exc.field)


def media_pages(
    client: GraphClient,
    ig_user_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    first_page_comments: int = 0,
) -> Iterator[dict[str, Any]]:
    """Raw media pages, newest first, each media carrying its page-safe insights (and on the
    first page, with `first_page_comments`, its newest comments under `comments`).

    Each page recovers from what Meta refuses about it (see `_read_media_page`); a smaller page
    size Meta asked for is kept for the pages that follow.
    """
    params: dict[str, Any] = {"limit": limit}
    if since is not None:
        params["since"] = int(since.timestamp())
    if until is not None:
        params["until"] = int(until.timestamp())
    if after:
        params["after"] = after
    comments = first_page_comments
    while True:
        page, params = _read_media_page(client, f"{ig_user_id}/media", params, comments)
        yield page
        cursor = ((page.get("paging") or {}).get("cursors") or {}).get("after")
        if not page.get("data") or not (page.get("paging") or {}).get("next") or not cursor:
            return
        # Follow the cursor rather than `paging.next`: the next URL repeats the access token.
        params, comments = {**params, "after": cursor}, 0


def _read_media_page(
    client: GraphClient, path: str, params: dict[str, Any], comments: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One media page and the params that got it. Meta fails the whole page for one media or
    one field, so each refusal is answered by asking that page again differently:

    - code 1 "reduce the amount of data": half the page size;
    - code 10 on the comments expansion (no comments permission): without comments;
    - code 100 naming metrics (an AD, say): without every metric named, or only the universal ones;
    - 100/2108006 (media posted before the business conversion): without insights, which are
      then asked per media, the old media marked unavailable (`insights_unavailable`).
    """
    names: tuple[str, ...] = metrics.MEDIA_PAGE
    while True:
        try:
            page = client.get(path, {**params, "fields": media_page_fields(names, comments)})
            return page, params
        except ReduceData:
            if params["limit"] <= 1:
                raise
            params = {**params, "limit": max(1, params["limit"] // 2)}
        except PermissionMissing:
            if not comments:
                raise
            comments = 0
        except UnsupportedMetric as exc:
            if names == metrics.UNIVERSAL:
                raise
            kept = tuple(name for name in names if name not in exc.metrics)
            names = kept if exc.metrics and kept != names else metrics.UNIVERSAL
        except BeforeBusinessConversion:
            page = client.get(path, {**params, "fields": media_page_fields(None, comments)})
            _insights_each(client, page.get("data") or [], names)
            return page, params


def _insights_each(client: GraphClient, items: list[dict[str, Any]], names: tuple[str, ...]) -> None:
    """Page-safe insights asked media by media, into each item: a media Meta has none for
    because it predates the business conversion is marked so, never given zeros."""
    results = _per_media(client, [(str(item["id"]), names) for item in items])
    for item in items:
        result = results.get(str(item["id"]))
        if isinstance(result, BeforeBusinessConversion):
            item["insights_unavailable"] = BEFORE_BUSINESS_CONVERSION
        elif isinstance(result, dict):
            item["insights"] = result


def page_cursor(page: dict[str, Any]) -> str | None:
    """The `after` cursor of a page, to resume an interrupted walk there."""
    return ((page.get("paging") or {}).get("cursors") or {}).get("after")


def stories(client: GraphClient, ig_user_id: str) -> list[dict[str, Any]]:
    """Live stories with their insights: one call, or one per story if any has too few viewers."""
    fields = MEDIA_FIELDS.replace(",children{id,media_type,media_url,thumbnail_url}", "")
    try:
        return client.get(f"{ig_user_id}/stories", {"fields": f"{fields},{_insights(metrics.STORY)}"})["data"]
    except NotEnoughViewers:
        items = client.get(f"{ig_user_id}/stories", {"fields": fields})["data"]
    for item in items:
        try:
            item["insights"] = client.get(f"{item['id']}/insights", {"metric": metrics.checked(metrics.STORY)})
        except NotEnoughViewers:
            item["insights_unavailable"] = BELOW_PRIVACY_FLOOR  # seen by fewer than 5: no values, not zeros
    return items


def media_insights(client: GraphClient, items: list[tuple[str, str]]) -> dict[str, dict[str, Any] | MetaError]:
    """{media id: insights body or the MetaError} for (media id, product type) pairs, asking each
    media for its deep metrics only; batched by 50 on graph.facebook.com."""
    wanted = [(media_id, metrics.deep_for_product_type(kind)) for media_id, kind in items]
    return _per_media(client, [(media_id, names) for media_id, names in wanted if names])


def _per_media(
    client: GraphClient, wanted: list[tuple[str, tuple[str, ...]]]
) -> dict[str, dict[str, Any] | MetaError]:
    """{media id: insights body or MetaError} asking each media for its metrics; batched by 50 on
    graph.facebook.com (an operation Meta did not finish is left out), one call each elsewhere."""
    results: dict[str, dict[str, Any] | MetaError] = {}
    if client.host == FACEBOOK_GRAPH:
        for start in range(0, len(wanted), BATCH_LIMIT):
            chunk = wanted[start : start + BATCH_LIMIT]
            operations = [
                {"method": "GET", "relative_url": f"{media_id}/insights?metric={metrics.checked(names)}"}
                for media_id, names in chunk
            ]
            for (media_id, _names), result in zip(chunk, client.batch(operations), strict=True):
                if result is not None:
                    results[media_id] = result
        return results
    for media_id, names in wanted:
        try:
            results[media_id] = client.get(f"{media_id}/insights", {"metric": metrics.checked(names)})
        except (UnsupportedMetric, NotEnoughViewers, BeforeBusinessConversion) as exc:
            results[media_id] = exc
    return results


def comment_pages(client: GraphClient, media_id: str) -> Iterator[dict[str, Any]]:
    """Top-level comments of one media with their replies, page by page."""
    params: dict[str, Any] = {"fields": THREAD_FIELDS, "limit": 50}
    while True:
        page = client.get(f"{media_id}/comments", params)
        yield page
        cursor = page_cursor(page)
        if not page.get("data") or not (page.get("paging") or {}).get("next") or not cursor:
            return
        params = {**params, "after": cursor}


def comment_counts(client: GraphClient, ig_user_id: str, since: datetime) -> Iterator[dict[str, Any]]:
    """Pages of the media posted since `since`, carrying only their ids and comment counts."""
    return client.paginate(
        f"{ig_user_id}/media", {"fields": "id,comments_count", "since": int(since.timestamp()), "limit": PAGE_SIZE}
    )
