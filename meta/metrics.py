"""Which insight metrics exist, per media product type, on the pinned Graph version.

One table (reference §5.1, Graph v25.0, checked against Meta's 2025-12 and 2026-04 changelogs).
Every metric name the project sends to Meta comes from here, and `checked()` refuses a dead or
unsupported one before a request is built: one bad metric fails Meta's whole request, and in a
field-expanded page it fails every media of the page.
"""

from __future__ import annotations

from collections.abc import Iterable

GRAPH_VERSION = "v25.0"

# Removed by Meta; requesting any of them fails the request on every version we can call.
DEAD = frozenset(
    {
        "impressions",
        "plays",
        "video_views",
        "engagement",
        "clips_replays_count",
        "ig_reels_aggregated_all_plays_count",
        "taps_forward",
        "taps_back",
        "exits",
        "carousel_album_impressions",
        "carousel_album_reach",
        "carousel_album_engagement",
        "carousel_album_saved",
        "carousel_album_video_views",
    }
)

# What we collect per product type (a subset of what Meta offers: no Facebook-Login-only or
# "shared to Facebook only" metrics, which fail for some media and cannot be told apart first).
FEED = (
    "reach",
    "views",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "reposts",
    "follows",
    "profile_visits",
)
REELS = (
    "reach",
    "views",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "reposts",
    "ig_reels_avg_watch_time",
    "ig_reels_video_view_total_time",
)
STORY = (
    "reach",
    "views",
    "shares",
    "total_interactions",
    "reposts",
    "follows",
    "profile_visits",
    "replies",
    "navigation",
)
BY_PRODUCT_TYPE: dict[str, tuple[str, ...]] = {"FEED": FEED, "REELS": REELS, "STORY": STORY}
# Every media metric we collect, each once: the columns of a MediaInsight row.
COLLECTED = tuple(dict.fromkeys(FEED + REELS + STORY))

# Safe on every product type, AD and unknown future ones included (PITFALLS.md).
UNIVERSAL = ("reach", "views", "shares", "total_interactions")

# The /media edge never lists stories (reference §4), so a media page holds only FEED and
# REELS (and rarely AD): what both of those have can ride in one field-expanded page.
MEDIA_PAGE = tuple(m for m in FEED if m in REELS)

# What a media page cannot carry: fetched per media (batched where the host allows).
DEEP: dict[str, tuple[str, ...]] = {
    product_type: tuple(m for m in metrics if m not in MEDIA_PAGE)
    for product_type, metrics in BY_PRODUCT_TYPE.items()
    if product_type != "STORY"
}

# Metrics that take a breakdown; a breakdown on any other metric fails the whole request.
BREAKDOWNS = {"navigation": "story_navigation_action_type", "profile_activity": "action_type"}

# Account insights for the daily snapshot (reference §5.2): all total_value, period=day.
ACCOUNT_DAILY = ("reach", "views", "accounts_engaged", "total_interactions")
ACCOUNT_FOLLOWS = "follows_and_unfollows"  # asked alone: it takes the follow_type breakdown
# Reach split by surface and by followers/non-followers in one request: results carry pairs.
REACH_BREAKDOWN = "media_product_type,follow_type"
# New followers per day (time_series only, the last 30 days, today excluded): a day-one growth
# history. Missing from Meta's current metric table but still answered (reference §13.5).
ACCOUNT_NEW_FOLLOWERS = "follower_count"
ACCOUNT_NEW_FOLLOWERS_DAYS = 30
ACCOUNT_DEAD = frozenset(
    {
        "impressions",
        "profile_views",
        "website_clicks",
        "email_contacts",
        "phone_call_clicks",
        "text_message_clicks",
        "get_direction_clicks",
    }
)


def for_product_type(product_type: str) -> tuple[str, ...]:
    """The metrics to ask for one media; an unknown or AD type gets only the universal ones."""
    return BY_PRODUCT_TYPE.get(product_type.upper(), UNIVERSAL)


def deep_for_product_type(product_type: str) -> tuple[str, ...]:
    return DEEP.get(product_type.upper(), ())


def checked(metrics: Iterable[str], product_type: str | None = None) -> str:
    """The comma-joined metric list, or ValueError if any is dead or not valid for the type."""
    names = list(metrics)
    if not names:
        raise ValueError("no metric requested")
    dead = [m for m in names if m in DEAD or m.startswith("carousel_album_")]
    if dead:
        raise ValueError(f"dead metric(s) {dead} on Graph {GRAPH_VERSION}")
    if product_type is not None:
        allowed = for_product_type(product_type)
        wrong = [m for m in names if m not in allowed]
        if wrong:
            raise ValueError(f"metric(s) {wrong} not valid for {product_type} on Graph {GRAPH_VERSION}")
    return ",".join(names)


def checked_account(metrics: Iterable[str]) -> str:
    names = list(metrics)
    dead = [m for m in names if m in ACCOUNT_DEAD]
    if dead or not names:
        raise ValueError(f"dead account metric(s) {dead} on Graph {GRAPH_VERSION}")
    return ",".join(names)


# Facebook Pages (Graph v25.0). Meta retired the impressions family (2025-06 and 2025-11,
# replaced by the media-view metrics) and the page_fans family (2025-11, replaced by
# page_follows); page_engaged_users went in 2024-03 and has no replacement (docs/sandbox.md).
PAGE_POST = ("post_media_view", "post_total_media_view_unique")  # lifetime, per post
PAGE_DAILY = (  # period=day, per Page
    "page_media_view",
    "page_total_media_view_unique",
    "page_post_engagements",
    "page_daily_follows_unique",
    "page_daily_unfollows_unique",
    "page_follows",
)
PAGE_DEAD_PREFIXES = ("page_impressions", "page_posts_impressions", "post_impressions", "page_fan")
PAGE_DEAD = frozenset({"page_fans", "page_engaged_users", "post_engaged_users", "page_consumptions"})


def checked_page(metrics: Iterable[str]) -> str:
    """Like checked(), for Page and Page-post metrics."""
    names = list(metrics)
    dead = [m for m in names if m in PAGE_DEAD or m.startswith(PAGE_DEAD_PREFIXES)]
    if dead or not names:
        raise ValueError(f"dead Page metric(s) {dead} on Graph {GRAPH_VERSION}")
    return ",".join(names)
