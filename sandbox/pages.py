"""The seeded Facebook Page's posts and insights, shaped as Graph v25.0 answers them.

Posts are generated lazily from (seed, index), newest first, like the Instagram feed:

    {page-id}_12IIIIIIIIIIIII      a Page post (index 0 = newest)

Metric names follow Meta's 2025-2026 Page Insights changes (docs/sandbox.md, "Facebook Page"):
the impressions family and page_fans answer "(#100) The value must be a valid insights metric".
"""

from __future__ import annotations

from typing import Any

from . import PAGE_ID, data
from .context import Ctx
from .errors import GraphError, missing_param
from .fields import Field, parse
from .insights import iso
from .render import paginate

POSTS = 240
NEWEST_AGE = 5 * 3600
POST_PREFIX = f"{PAGE_ID}_12"
FOLLOWERS = 19876  # the Page's followers_count now (render.page)
# (status_type, attachment media_type, attachment type, our media type), with weights.
SHAPES = [
    ("added_photos", "photo", "photo", 0.55),
    ("added_photos", "album", "album", 0.15),
    ("added_video", "video", "video_inline", 0.15),
    ("shared_story", "link", "share", 0.10),
    ("mobile_status_update", None, None, 0.05),
]
POST_METRICS = {
    "post_media_view",
    "post_total_media_view_unique",
    "post_reactions_by_type_total",
    "post_reactions_like_total",
    "post_clicks",
    "post_video_views",
}
PAGE_METRICS = {
    "page_media_view",
    "page_total_media_view_unique",
    "page_post_engagements",
    "page_follows",
    "page_daily_follows_unique",
    "page_daily_unfollows_unique",
    "page_views_total",
}
PERIODS = {"day", "week", "days_28"}
MAX_RANGE_DAYS = 90
TITLES = {
    "post_media_view": "Lifetime Post Views",
    "post_total_media_view_unique": "Lifetime Post Viewers",
    "post_reactions_by_type_total": "Lifetime Total post Reactions by Type.",
    "page_media_view": "Daily Page Views",
    "page_total_media_view_unique": "Daily Page Viewers",
    "page_post_engagements": "Daily Post Engagements",
    "page_follows": "Daily Page Follows",
    "page_daily_follows_unique": "Daily New Follows",
    "page_daily_unfollows_unique": "Daily Unfollows",
}


def invalid_metric() -> GraphError:
    # Recorded: gitroomhq/postiz-app#1609 (one dead name fails the whole request).
    return GraphError(100, "(#100) The value must be a valid insights metric")


def post_id(idx: int) -> str:
    return f"{POST_PREFIX}{idx:013d}"


def post_index(obj_id: str) -> int | None:
    if not obj_id.startswith(POST_PREFIX) or not obj_id[len(POST_PREFIX) :].isdigit():
        return None
    idx = int(obj_id[len(POST_PREFIX) :])
    return idx if idx < POSTS else None


def post_timestamp(anchor: int, idx: int) -> int:
    gap = (data.HISTORY - NEWEST_AGE) / POSTS
    jitter = data.rng("page-post-t", idx).random() * 0.8 if idx else 0.0
    return int(anchor - NEWEST_AGE - (idx + jitter) * gap)


def post(seed: int, anchor: int, idx: int) -> dict[str, Any]:
    r = data.rng(seed, "page-post", idx)
    x, acc, shape = r.random(), 0.0, SHAPES[-1]
    for candidate in SHAPES:
        acc += candidate[3]
        if x < acc:
            shape = candidate
            break
    reach = int(data._lognormal(r, FOLLOWERS * 0.15, 0.6))
    reactions = int(reach * data._lognormal(r, 0.04, 0.5))
    text = r.choice(data.TEMPLATES).format(course=r.choice(data.COURSES), city="São Luís")
    return {
        "id": post_id(idx),
        "index": idx,
        "timestamp": post_timestamp(anchor, idx),
        "message": f"{text}\n\n#IFMA #InstitutoFederal",
        "status_type": shape[0],
        "attachment": shape[1:3] if shape[1] else None,
        "reach": reach,
        "views": int(reach * r.uniform(1.2, 2.2)),
        "reactions": reactions,
        "comments": int(reactions * r.uniform(0.02, 0.12)),
        "shares": int(reactions * r.uniform(0.0, 0.15)),
        "clicks": int(reach * r.uniform(0.01, 0.05)),
    }


# ---------------------------------------------------------------- posts


def render_post(ctx: Ctx, p: dict[str, Any], fields: list[Field] | None) -> dict[str, Any]:
    fields = fields if fields is not None else parse("created_time,message,id")
    number = p["id"].split("_", 1)[1]
    cdn = f"{ctx.req.base}/scontent.xx.fbcdn.net/v/t39.30808-6/{number}_n.jpg"
    out: dict[str, Any] = {}
    for f in fields:
        value = _post_value(ctx, p, f, cdn, number)
        if value is not None:
            out[f.name] = value
    out.setdefault("id", p["id"])
    return out


def _post_value(ctx: Ctx, p: dict[str, Any], f: Field, cdn: str, number: str) -> Any:
    name = f.name
    if name in ("id", "message", "status_type"):
        return p[name]
    if name in ("created_time", "updated_time"):
        return iso(p["timestamp"])
    if name == "permalink_url":
        return f"{ctx.req.base}/www.facebook.com/{PAGE_ID}/posts/{number}/"
    if name == "full_picture":
        return cdn if p["attachment"] else None
    if name == "is_published":
        return True
    if name == "from":
        return {"name": ctx.state.accounts[1].name, "id": PAGE_ID}
    if name == "shares":  # Meta leaves the field out of a post nobody shared
        return {"count": p["shares"]} if p["shares"] else None
    if name == "attachments":
        if not p["attachment"]:
            return {"data": []}
        media_type, kind = p["attachment"]
        item = {
            "media_type": media_type,
            "type": kind,
            "url": f"{ctx.req.base}/www.facebook.com/{PAGE_ID}/posts/{number}/",
        }
        if media_type != "link":
            item["media"] = {"image": {"height": 720, "src": cdn, "width": 720}}
        return {"data": [{k: v for k, v in item.items() if f.children is None or k in {c.name for c in f.children}}]}
    if name in ("reactions", "likes", "comments"):
        return _summary_edge(p, f)
    if name == "insights":
        ctx.require_scope("", "read_insights")
        metrics = [m.strip() for m in f.modifiers.get("metric", "").split(",") if m.strip()]
        return {"data": post_insights(ctx, p, metrics)}
    raise GraphError(100, f"(#100) Tried accessing nonexisting field ({name}) on node type (PagePost)")


def _summary_edge(p: dict[str, Any], f: Field) -> dict[str, Any]:
    """`reactions.summary(total_count).limit(0)`: the count without the people."""
    total = p["comments"] if f.name == "comments" else p["reactions"]
    out: dict[str, Any] = {"data": []}
    if f.modifiers.get("summary") in ("total_count", "true", "1"):
        summary: dict[str, Any] = {"total_count": total}
        if f.name == "comments":
            summary.update(order="ranked", can_comment=True)
        else:
            summary["viewer_reaction"] = "NONE"
        out["summary"] = summary
    return out


def post_insights(ctx: Ctx, p: dict[str, Any], metrics: list[str]) -> list[dict[str, Any]]:
    if not metrics:
        raise missing_param("metric")
    for name in metrics:
        if name not in POST_METRICS:
            raise invalid_metric()
    if ctx.state.now() - p["timestamp"] < 3600:
        return []  # Meta has no reading yet for a post this young
    r = data.rng("page-post-reactions", p["id"])
    likes = int(p["reactions"] * r.uniform(0.75, 0.95))
    values: dict[str, Any] = {
        "post_media_view": p["views"],
        "post_total_media_view_unique": p["reach"],
        "post_reactions_like_total": likes,
        "post_reactions_by_type_total": {"like": likes, "love": p["reactions"] - likes} if p["reactions"] else {},
        "post_clicks": p["clicks"],
        "post_video_views": p["views"] if p["status_type"] == "added_video" else 0,
    }
    return [_item(p["id"], name, "lifetime", [{"value": values[name]}]) for name in metrics]


def _item(obj_id: str, name: str, period: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    title = TITLES.get(name, name.replace("_", " ").capitalize())
    return {
        "name": name,
        "period": period,
        "values": values,
        "title": title,
        "description": f"{title} ({name}).",
        "id": f"{obj_id}/insights/{name}/{period}",
    }


def posts_edge(ctx: Ctx, edge: str) -> dict[str, Any]:
    """`/{page-id}/posts|published_posts|feed`: newest first, cursor paging, since/until."""
    ctx.require_scope("", "pages_read_engagement")
    st = ctx.state
    fields = parse(ctx.params.get("fields")) if ctx.params.get("fields") else None
    query = {k: v for k, v in ctx.params.items() if k != "access_token"}
    items, paging = paginate(
        ctx,
        POSTS,
        lambda i: post(st.seed, st.anchor, i),
        post_index,
        ctx.params,
        f"/{PAGE_ID}/{edge}",
        query,
        timestamp=lambda i: post_timestamp(st.anchor, i),
    )
    rendered = [render_post(ctx, p, fields) for p in items]
    return {"data": rendered, "paging": paging} if paging else {"data": rendered}


def read_post(ctx: Ctx, p: dict[str, Any], edge: str | None) -> dict[str, Any]:
    ctx.require_scope("", "pages_read_engagement")
    if edge == "insights":
        ctx.require_scope("", "read_insights")
        metrics = [m.strip() for m in ctx.params.get("metric", "").split(",") if m.strip()]
        return {"data": post_insights(ctx, p, metrics)}
    if edge is None:
        return render_post(ctx, p, parse(ctx.params.get("fields")) if ctx.params.get("fields") else None)
    raise GraphError(100, f"(#100) Unknown path components: /{edge}")


# ---------------------------------------------------------------- Page insights


def _day_moves(seed: int, day: int) -> tuple[int, int]:
    r = data.rng(seed, "page-follows", day)
    return int(FOLLOWERS * 0.0012 * r.uniform(0.3, 1.7)), int(FOLLOWERS * 0.0004 * r.uniform(0.2, 1.8))


def _day_values(seed: int, day: int, followers_at_end: int) -> dict[str, int]:
    r = data.rng(seed, "page-day", day)
    viewers = int(FOLLOWERS * 0.09 * r.uniform(0.5, 1.6))
    follows, unfollows = _day_moves(seed, day)
    return {
        "page_media_view": int(viewers * r.uniform(1.6, 2.4)),
        "page_total_media_view_unique": viewers,
        "page_post_engagements": int(viewers * r.uniform(0.03, 0.08)),
        "page_follows": followers_at_end,
        "page_daily_follows_unique": follows,
        "page_daily_unfollows_unique": unfollows,
        "page_views_total": int(viewers * r.uniform(0.02, 0.06)),
    }


def page_insights(ctx: Ctx) -> dict[str, Any]:
    """`/{page-id}/insights?metric=…&period=day&since=…&until=…`: one value per day, each
    `end_time` the end of its day (08:00 UTC, Pacific midnight, as Meta reports them)."""
    ctx.require_scope("", "read_insights")
    if ctx.token is None or ctx.token.type != "PAGE":
        raise GraphError(190, "(#190) This method must be called with a Page Access Token")
    params, st = ctx.params, ctx.state
    names = [m.strip() for m in params.get("metric", "").split(",") if m.strip()]
    if not names:
        raise GraphError(
            3001,
            "No metric was specified to be fetched. Please specify one or more metrics to be fetched and try again.",
        )
    if any(name not in PAGE_METRICS for name in names):
        raise invalid_metric()
    period = params.get("period", "day")
    if period not in PERIODS:
        raise GraphError(100, "(#100) period must be one of the following values: day, week, days_28")
    for name in ("since", "until"):
        if params.get(name) and not params[name].lstrip("-").isdigit():
            raise GraphError(100, f"(#100) The parameter {name} must be a unix timestamp")
    now = int(st.now())
    until = min(int(params.get("until") or now), now)
    since = int(params.get("since") or until - 2 * 86400)
    if until - since > MAX_RANGE_DAYS * 86400:
        raise GraphError(100, f"(#100) There cannot be more than {MAX_RANGE_DAYS} days between since and until")
    first, last = since // 86400, (until - 8 * 3600) // 86400 - 1  # the last day whose end has passed
    days = list(range(first, last + 1))
    followers = FOLLOWERS
    at_end: dict[int, int] = {}
    for day in range(now // 86400, first - 1, -1):  # walk back from today's count
        at_end[day] = followers
        follows, unfollows = _day_moves(st.seed, day)
        followers -= follows - unfollows
    rows = {day: _day_values(st.seed, day, at_end[day]) for day in days}
    out = [
        _item(
            PAGE_ID, name, period, [{"value": rows[d][name], "end_time": iso((d + 1) * 86400 + 8 * 3600)} for d in days]
        )
        for name in names
    ]
    span = until - since
    base = {k: v for k, v in params.items() if k not in ("since", "until", "access_token")}
    paging = {
        "previous": ctx.path_url(f"/{PAGE_ID}/insights", dict(base, since=str(since - span), until=str(since))),
        "next": ctx.path_url(f"/{PAGE_ID}/insights", dict(base, since=str(until), until=str(until + span))),
    }
    return {"data": out, "paging": paging}
