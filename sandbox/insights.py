"""Media and account insights, with Meta's metric matrix and error behaviour."""

from __future__ import annotations

import time
from typing import Any

from . import data
from .errors import GraphError, unsupported_metric

DEAD_MEDIA = {
    "impressions",
    "plays",
    "video_views",
    "engagement",
    "clips_replays_count",
    "ig_reels_aggregated_all_plays_count",
    "taps_forward",
    "taps_back",
    "exits",
}
FEED = {
    "views",
    "reach",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "reposts",
    "follows",
    "profile_visits",
    "profile_activity",
    "facebook_views",
    "total_likes",
    "total_comments",
    "total_views",
}
REELS = {
    "views",
    "reach",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "reposts",
    "ig_reels_avg_watch_time",
    "ig_reels_video_view_total_time",
    "reels_skip_rate",
    "crossposted_views",
    "facebook_views",
    "total_likes",
    "total_comments",
    "total_views",
}
STORY = {
    "views",
    "reach",
    "shares",
    "total_interactions",
    "reposts",
    "follows",
    "profile_visits",
    "profile_activity",
    "replies",
    "navigation",
    "facebook_views",
    "total_views",
    "link_clicks",
}
MATRIX = {"FEED": FEED, "REELS": REELS, "STORY": STORY}
FB_ONLY = {"total_likes", "total_comments", "total_views", "link_clicks"}
BREAKDOWNS = {"navigation": "story_navigation_action_type", "profile_activity": "action_type"}
TITLES = {
    "views": "Views",
    "reach": "Accounts reached",
    "likes": "Likes",
    "comments": "Comments",
    "saved": "Saved",
    "shares": "Shares",
    "total_interactions": "Interactions",
    "reposts": "Reposts",
    "follows": "Follows",
    "profile_visits": "Profile visits",
    "profile_activity": "Profile activity",
    "replies": "Replies",
    "navigation": "Navigation",
    "ig_reels_avg_watch_time": "Average watch time",
    "ig_reels_video_view_total_time": "Total watch time",
    "reels_skip_rate": "Skip rate",
    "accounts_engaged": "Accounts engaged",
    "saves": "Saves",
    "follows_and_unfollows": "Follows and unfollows",
    "follower_count": "Follower count",
    "profile_links_taps": "Profile links taps",
    "online_followers": "Online followers",
}


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(ts))


def _item(obj_id: str, name: str, period: str, **extra: Any) -> dict[str, Any]:
    title = TITLES.get(name, name.replace("_", " ").capitalize())
    return {
        "name": name,
        "period": period,
        **extra,
        "title": title,
        "description": f"{title} ({name}).",
        "id": f"{obj_id}/insights/{name}/{period}",
    }


def check_media_metrics(media: dict[str, Any], metrics: list[str], breakdown: str | None, fb_login: bool) -> None:
    """Raise Meta's error for the metrics this media cannot give (all of them named at once)."""
    if media["source"] == "child":
        raise GraphError(
            100,
            "(#100) Media Insights are not supported for carousel children. Query the parent carousel album instead.",
        )
    if not metrics:
        raise GraphError(100, "(#100) The parameter metric is required")
    allowed = MATRIX[media["media_product_type"]]
    unsupported = [
        name
        for name in metrics
        if name in DEAD_MEDIA
        or name.startswith("carousel_album_")
        or name not in allowed
        or (name in FB_ONLY and not fb_login)
    ]
    if unsupported:
        raise unsupported_metric(unsupported)
    for name in metrics:
        if name in ("facebook_views", "crossposted_views"):
            raise GraphError(100, f"(#100) The {name} metric is only available for media shared to Facebook.")
        if breakdown and BREAKDOWNS.get(name) != breakdown:
            raise GraphError(1, "An unknown error has occurred.", is_transient=False)


def media_insights(
    media: dict[str, Any], metrics: list[str], breakdown: str | None, fb_login: bool, comments: int, now: float
) -> list[dict[str, Any]]:
    check_media_metrics(media, metrics, breakdown, fb_login)
    m = media["metrics"]
    if media["media_product_type"] == "STORY" and m.get("reach", 0) < 5:
        raise GraphError(10, "(#10) Not enough viewers for the media to show insights")
    if now - media["timestamp"] < 3600:
        return []
    r = data.rng("nav", media["id"])
    values: dict[str, Any] = dict(m)
    values["comments"] = comments
    values["total_interactions"] = m["likes"] + m["saved"] + m["shares"] + comments
    if media["media_product_type"] == "STORY":
        values["total_interactions"] = m["shares"] + m.get("replies", 0)
    values["total_likes"] = int(m["likes"] * 1.1)
    values["total_comments"] = comments
    values["total_views"] = int(m["views"] * 1.15)
    values["link_clicks"] = int(m["reach"] * 0.01)
    nav = {
        "tap_forward": int(m["views"] * r.uniform(0.4, 0.7)),
        "tap_back": int(m["views"] * r.uniform(0.02, 0.1)),
        "tap_exit": int(m["views"] * r.uniform(0.05, 0.15)),
        "swipe_forward": int(m["views"] * r.uniform(0.02, 0.08)),
    }
    values["navigation"] = sum(nav.values())
    act = {
        "bio_link_clicked": m["profile_visits"] // 10,
        "call": 0,
        "direction": 0,
        "email": m["profile_visits"] // 40,
        "other": m["profile_visits"] // 20,
        "text": 0,
    }
    values["profile_activity"] = sum(act.values())
    out = []
    for name in metrics:
        extra: dict[str, Any] = {"values": [{"value": values.get(name, 0)}]}
        if breakdown:
            parts = nav if name == "navigation" else act
            extra["total_value"] = {
                "value": values[name],
                "breakdowns": [
                    {
                        "dimension_keys": [breakdown],
                        "results": [{"dimension_values": [k], "value": v} for k, v in parts.items()],
                    }
                ],
            }
        out.append(_item(media["id"], name, "lifetime", **extra))
    return out


# ---------------------------------------------------------------- account insights

ACCOUNT_TOTAL = {
    "reach",
    "views",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "saves",
    "shares",
    "replies",
    "reposts",
    "follows_and_unfollows",
    "profile_links_taps",
}
ACCOUNT_SERIES = {"reach", "follower_count"}
DEMOGRAPHICS = {"follower_demographics", "engaged_audience_demographics", "reached_audience_demographics"}
ACCOUNT_ALL = sorted(ACCOUNT_TOTAL | ACCOUNT_SERIES | DEMOGRAPHICS | {"online_followers"})
UNIQUE = {"reach", "accounts_engaged"}
# Withheld below Meta's privacy floor of 100 followers: left out of the answer.
FOLLOWER_FLOOR = 100
DEMOGRAPHIC_SEGMENTS = 45  # Meta answers the top 45 segments of a breakdown
UNDER_FLOOR = {"follower_count", "online_followers", "follows_and_unfollows", *DEMOGRAPHICS}
BREAKDOWN_VALUES = {
    "media_product_type": ["POST", "CAROUSEL_CONTAINER", "REEL", "STORY"],
    "follow_type": ["FOLLOWER", "NON_FOLLOWER", "UNKNOWN"],
    "follower_type": ["FOLLOWER", "NON_FOLLOWER"],
    "contact_button_type": ["BOOK_NOW", "CALL", "DIRECTION", "EMAIL", "TEXT", "UNDEFINED"],
    "age": ["13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"],
    "gender": ["F", "M", "U"],
    "country": ["BR", "PT", "US"],
    "city": ["São Luís, Maranhão", "Imperatriz, Maranhão", "Caxias, Maranhão", "Teresina, Piauí", "Timon, Maranhão"],
}


# With a second dimension Meta's media_product_type also shows the rarer surfaces (recorded in
# public client code: IGTV, AD, AR_EFFECT_PREVIEW next to REEL, POST, CAROUSEL_CONTAINER, STORY).
ALL_PRODUCT_TYPES = ["REEL", "POST", "CAROUSEL_CONTAINER", "STORY", "IGTV", "AD", "AR_EFFECT_PREVIEW"]


def _day_value(acct: data.Account, metric: str, day: int) -> int:
    r = data.rng(acct.seed, acct.no, "day", metric, day)
    reach = acct.followers * 0.12 * r.uniform(0.5, 1.6)
    base = {
        "reach": reach,
        "views": reach * 1.9,
        "accounts_engaged": reach * 0.06,
        "likes": reach * 0.05,
        "comments": reach * 0.004,
        "saves": reach * 0.005,
        "shares": reach * 0.004,
        "replies": reach * 0.001,
        "reposts": reach * 0.0005,
        "follows_and_unfollows": acct.followers * 0.002,
        "follower_count": acct.followers * 0.0015,
        "profile_links_taps": reach * 0.003,
    }
    if metric == "total_interactions":
        return sum(_day_value(acct, m, day) for m in ("likes", "comments", "saves", "shares"))
    return int(base.get(metric, reach * 0.01) * r.uniform(0.8, 1.2))


def meta_day(ts: int) -> int:
    """The insights day a moment falls in: Meta's days run midnight to midnight in California
    (UTC-7 here), and a day's values carry its end as `end_time` (07:00 UTC the next day)."""
    return (ts - 7 * 3600) // 86400


def _follower_count_days(days: range, today: int) -> range:
    """follower_count covers the last 30 days only, the current day excluded: an older `since`
    fails the request (the message Meta gives, as recorded in public client code), and the
    current day has no value yet."""
    if days.start < today - 30:
        raise GraphError(
            100,
            "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day",
        )
    return range(days.start, min(days.stop, today))


def _split(total: int, keys: list[str], seed: str) -> list[dict[str, Any]]:
    r = data.rng(seed)
    weights = [r.uniform(0.2, 1.0) for _ in keys]
    s = sum(weights)
    vals = [int(total * w / s) for w in weights]
    vals[0] += total - sum(vals)
    return [{"dimension_values": [k], "value": v} for k, v in zip(keys, vals, strict=True)]


def _breakdown(dimensions: list[str], name: str, total: int, seed: str) -> dict[str, Any]:
    """One breakdown over one or more dimensions (`breakdown=media_product_type,follow_type`):
    `dimension_keys` names them all and each result carries one value per key, as Meta answers."""
    for dimension in dimensions:
        if dimension not in BREAKDOWN_VALUES:
            raise GraphError(100, f"(#100) Invalid breakdown {dimension} for {name}")
    combos: list[list[str]] = [[]]
    for dimension in dimensions:
        values = ALL_PRODUCT_TYPES if dimension == "media_product_type" and len(dimensions) > 1 else None
        combos = [[*c, v] for c in combos for v in (values or BREAKDOWN_VALUES[dimension])]
    results = _split(total, ["|".join(c) for c in combos], seed)
    for result in results:
        result["dimension_values"] = result["dimension_values"][0].split("|")
    if len(dimensions) > 1:  # of many combinations, Meta lists only those with something in them
        results = [r for r in results if r["value"]]
    return {"dimension_keys": dimensions, "results": results}


def account_insights(acct: data.Account, params: dict[str, str], now: float, url: Any) -> dict[str, Any]:
    names = [m.strip() for m in params.get("metric", "").split(",") if m.strip()]
    if not names:
        raise GraphError(100, "(#100) The parameter metric is required")
    for i, name in enumerate(names):
        if name not in ACCOUNT_ALL:
            raise GraphError(100, f"(#100) metric[{i}] must be one of the following values: " + ", ".join(ACCOUNT_ALL))
    period = params.get("period", "day")
    metric_type = params.get("metric_type")
    breakdown = params.get("breakdown")
    needs_total = [n for n in names if n not in ACCOUNT_SERIES and n not in DEMOGRAPHICS and n != "online_followers"]
    if needs_total and metric_type != "total_value":
        raise GraphError(
            100,
            f"(#100) The following metrics ({', '.join(needs_total)}) should "
            "be specified with parameter metric_type=total_value",
        )
    if metric_type == "total_value" and "follower_count" in names:
        raise GraphError(
            100,
            "(#100) The following metrics (follower_count) should be specified with parameter metric_type=time_series",
        )
    for name in ("since", "until"):
        if params.get(name) and not params[name].lstrip("-").isdigit():
            raise GraphError(100, f"(#100) The parameter {name} must be a unix timestamp")
    until = int(params.get("until") or now)
    since = int(params.get("since") or until - 86400)
    if until - since > 30 * 86400:
        raise GraphError(100, "(#100) There cannot be more than 30 days (2592000 s) between since and until")
    if since > until:
        raise GraphError(100, "(#100) since must be before until")
    if since < now - 2 * 365 * 86400:
        raise GraphError(100, "(#100) since param is not valid. Metrics data is available for the last 2 years.")
    day0, day1 = meta_day(since), max(meta_day(until - 1), 0)
    days = range(day0, max(day1, day0) + 1)
    if "follower_count" in names:
        days = _follower_count_days(days, meta_day(int(now)))
    out = []
    for name in names:
        if acct.followers < FOLLOWER_FLOOR and name in UNDER_FLOOR:
            continue  # Meta: "not available for IG users with fewer than 100 followers"
        if name == "engaged_audience_demographics" and _engaged(acct) < FOLLOWER_FLOOR:
            continue  # likewise under 100 engagements in the timeframe
        if name in DEMOGRAPHICS or name == "online_followers":
            out.append(_lifetime(acct, name, breakdown, params, now))
            continue
        if metric_type == "total_value":
            total = sum(_day_value(acct, name, d) for d in days)
            if name in UNIQUE and len(days) > 1:
                total = int(total * 0.7)
            tv: dict[str, Any] = {"value": total}
            if breakdown:
                tv["breakdowns"] = [_breakdown(breakdown.split(","), name, total, f"{acct.id}{name}{since}")]
            out.append(_item(acct.id, name, period, total_value=tv))
        else:
            values = [{"value": _day_value(acct, name, d), "end_time": iso((d + 1) * 86400 + 7 * 3600)} for d in days]
            out.append(_item(acct.id, name, period, values=values))
    span = until - since
    base = {k: v for k, v in params.items() if k not in ("since", "until")}
    return {
        "data": out,
        "paging": {
            "previous": url(dict(base, since=str(since - span), until=str(since))),
            "next": url(dict(base, since=str(until), until=str(until + span))),
        },
    }


def _engaged(acct: data.Account) -> int:
    return int(acct.followers * 0.3)


def _lifetime(
    acct: data.Account, name: str, breakdown: str | None, params: dict[str, str], now: float
) -> dict[str, Any]:
    if name == "online_followers":
        r = data.rng(acct.id, "online")
        hours = {str(h): int(acct.followers * 0.05 * r.uniform(0.2, 1.0)) for h in range(24)}
        return _item(acct.id, name, "lifetime", values=[{"value": hours, "end_time": iso(now)}])
    if params.get("metric_type") != "total_value":
        raise GraphError(
            100, f"(#100) The following metrics ({name}) should be specified with parameter metric_type=total_value"
        )
    timeframe = params.get("timeframe")
    if timeframe not in ("this_week", "this_month"):
        # v20 removed the longer look-backs (last_14_days, last_30_days, last_90_days, prev_month).
        raise GraphError(100, "(#100) Demographic metrics require timeframe=this_week or timeframe=this_month")
    if not breakdown:
        raise GraphError(100, f"(#100) The metric {name} requires a breakdown of age, city, country or gender")
    total = acct.followers if name == "follower_demographics" else _engaged(acct)
    parts = breakdown.split(",")
    keys = BREAKDOWN_VALUES.get(parts[0], ["UNKNOWN"])
    results = _split(total, keys[:DEMOGRAPHIC_SEGMENTS], f"{acct.id}{name}{parts[0]}{timeframe}")
    # Recorded answers carry only the breakdowns here, no total `value`.
    breakdowns = [{"dimension_keys": parts[:1], "results": results}]
    return _item(acct.id, name, "lifetime", total_value={"breakdowns": breakdowns})
