"""Rendering Graph nodes for a parsed `fields` selection, including edge expansion."""

from __future__ import annotations

import bisect
import calendar
import time
from collections.abc import Callable
from typing import Any

from . import FB_USER_ID, FB_USER_NAME, PAGE_ID, PAGE_NAME, data, discovery, insights, stories
from .context import Ctx, decode_cursor, encode_cursor
from .errors import GraphError, no_field
from .failures import conversion_error, reduce_data_error
from .fields import Field, parse, serialize, split_args

Fields = list[Field] | None


class _Missing:
    pass


MISSING: Any = _Missing()


def _names(fields: list[Field]) -> list[str]:
    return [f.name for f in fields]


def node(
    obj_id: str,
    fields: list[Field],
    node_type: str,
    scalar: Callable[[str], Any],
    edge: Callable[[Field], Any] | None = None,
    allowed: set[str] | None = None,
) -> dict[str, Any]:
    """Render requested fields; MISSING values are omitted, unknown names raise code 100."""
    out: dict[str, Any] = {}
    for f in fields:
        if allowed is not None and f.name not in allowed:
            raise no_field(f.name, node_type)
        value = edge(f) if edge else MISSING
        if value is MISSING:
            value = scalar(f.name)
        if value is not MISSING:
            out[f.name] = value
    out.setdefault("id", obj_id)
    return out


# ---------------------------------------------------------------- paging


def paginate(
    ctx: Ctx,
    n: int,
    get: Callable[[int], dict[str, Any]],
    position: Callable[[str], int | None],
    params: dict[str, str],
    path: str,
    query: dict[str, str],
    timestamp: Callable[[int], int] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Cursor paging over positions 0..n-1 (newest first); returns (items, paging)."""
    try:
        limit = max(1, min(100, int(params.get("limit", 25))))
    except ValueError as exc:
        raise GraphError(100, "(#100) Param limit must be a number") from exc
    lo, hi = 0, n
    for name in ("since", "until"):
        if params.get(name) and not params[name].lstrip("-").isdigit():
            raise GraphError(100, f"(#100) The parameter {name} must be a unix timestamp")
    if timestamp is not None and (params.get("since") or params.get("until")):
        keys = _ts_view(n, timestamp)
        if params.get("until"):
            lo = bisect.bisect_left(keys, -int(params["until"]))
        if params.get("since"):
            hi = bisect.bisect_right(keys, -int(params["since"]))
    if params.get("after"):
        pos = position(decode_cursor(params["after"]))
        if pos is None:
            raise GraphError(100, "(#100) The cursor is invalid")
        start = max(pos + 1, lo)
        end = min(start + limit, hi)
    elif params.get("before"):
        pos = position(decode_cursor(params["before"]))
        if pos is None:
            raise GraphError(100, "(#100) The cursor is invalid")
        end = min(pos, hi)
        start = max(lo, end - limit)
    else:
        start, end = lo, min(lo + limit, hi)
    items = [get(i) for i in range(start, max(start, end))]
    paging: dict[str, Any] = {}
    if items:
        first, last = encode_cursor(items[0]["id"]), encode_cursor(items[-1]["id"])
        paging["cursors"] = {"before": first, "after": last}
        base = {k: v for k, v in query.items() if k not in ("after", "before")}
        base["limit"] = str(limit)
        if end < hi:
            paging["next"] = ctx.path_url(path, dict(base, after=last))
        if start > lo:
            paging["previous"] = ctx.path_url(path, dict(base, before=first))
    return items, paging


class _ts_view:
    """A lazy sequence of -timestamp (ascending) for bisect."""

    def __init__(self, n: int, timestamp: Callable[[int], int]) -> None:
        self.n, self.timestamp = n, timestamp

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> int:
        return -self.timestamp(i)


def edge_params(f: Field) -> dict[str, str]:
    return {k: v for k, v in f.modifiers.items() if k in ("limit", "after", "before", "since", "until")}


def edge_query(f: Field) -> dict[str, str]:
    q = edge_params(f)
    if f.children is not None:
        q["fields"] = serialize(f.children)
    return q


# ---------------------------------------------------------------- IG user

IG_USER_FIELDS = {
    "id",
    "ig_id",
    "username",
    "name",
    "biography",
    "website",
    "followers_count",
    "follows_count",
    "media_count",
    "profile_picture_url",
    "has_profile_pic",
    "is_published",
    "legacy_instagram_user_id",
    "shopping_product_tag_eligibility",
    "media",
    "stories",
    "tags",
    "live_media",
    "mentioned_media",
    "mentioned_comment",
    "business_discovery",
}
IG_LOGIN_ONLY = {"user_id", "account_type"}


def ig_user(ctx: Ctx, acct: data.Account, fields: Fields, me: bool = False, public: bool = False) -> dict[str, Any]:
    st = ctx.state
    if fields is None:
        if me and ctx.ig_host:
            fields = parse(
                "user_id,username,name,account_type,profile_picture_url,"
                "followers_count,follows_count,media_count,biography,website"
            )
        else:
            fields = []
    assert fields is not None
    obj_id = acct.app_scoped_id if (me and ctx.ig_host) else acct.id
    allowed = IG_USER_FIELDS | (IG_LOGIN_ONLY if ctx.ig_host else set())
    # A host that does not offer a field answers "nonexisting field" (config refused_fields).
    allowed -= set(st.config.get("refused_fields", {}).get(ctx.req.host, ()))

    def scalar(name: str) -> Any:
        values: dict[str, Any] = {
            "id": obj_id,
            "user_id": acct.id,
            "ig_id": int(acct.id[-10:]) + 1700000000,
            "username": acct.username,
            "name": acct.name,
            "biography": acct.biography,
            "website": acct.website,
            "followers_count": acct.followers,
            "follows_count": acct.follows,
            "media_count": st.feed_len(acct),
            "account_type": "BUSINESS",
            "has_profile_pic": True,
            "is_published": True,
            "legacy_instagram_user_id": str(int(acct.id[-10:]) + 1700000000),
            "profile_picture_url": f"{ctx.req.base}/scontent.cdninstagram.com/v/{acct.id}.jpg",
            "shopping_product_tag_eligibility": False,
        }
        return values.get(name, MISSING)

    def edge(f: Field) -> Any:
        if public and f.name not in ("media",):
            return MISSING
        if f.name == "media":
            items, paging = feed_page(ctx, acct, edge_params(f), f.children, edge_query(f), public=public)
            return {"data": items, "paging": discovery.media_paging(paging) if public else paging}
        if f.name == "stories":
            return {"data": [media(ctx, m, f.children) for m in st.live_stories(acct)]}
        if f.name == "tags":
            items, paging = tags_page(ctx, acct, edge_params(f), f.children, edge_query(f))
            return {"data": items, "paging": paging} if paging else {"data": items}
        if f.name == "live_media":
            return {"data": []}
        if f.name == "mentioned_media":
            return mentioned_media(ctx, f)
        if f.name == "mentioned_comment":
            return mentioned_comment(ctx, f)
        if f.name == "business_discovery":
            target = discovery.target(ctx, f)
            discovery.check_public(f.children or [], discovery.PUBLIC_PROFILE_FIELDS, "IGUser")
            return ig_user(ctx, target, f.children or [], public=True)
        return MISSING

    return node(obj_id, fields, "IGUser" if not ctx.ig_host else "User", scalar, edge, allowed)


def feed_page(
    ctx: Ctx, acct: data.Account, params: dict[str, str], fields: Fields, query: dict[str, str], public: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    st = ctx.state
    if public:  # another account's media through business_discovery: public fields only
        discovery.check_public(fields or [], discovery.PUBLIC_MEDIA_FIELDS, "IGMedia")
    threshold = int(st.config.get("reduce_data_above") or 0)
    if threshold and params.get("limit", "25").isdigit() and int(params.get("limit", "25")) > threshold:
        raise reduce_data_error()
    n = min(st.feed_len(acct), 10000)
    items, paging = paginate(
        ctx,
        n,
        lambda i: st.feed_at(acct, i),
        lambda mid: st.feed_position(acct, mid),
        params,
        f"/{acct.id}/media",
        query,
        timestamp=lambda i: st.feed_timestamp(acct, i),
    )
    return [media(ctx, m, fields, in_edge=True) for m in items], paging


def tags_page(
    ctx: Ctx, acct: data.Account, params: dict[str, str], fields: Fields, query: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The media others tagged the account in (`/{ig-user-id}/tags`), newest first."""
    ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
    items = discovery.tagged(ctx.state, acct)
    ids = {m["id"]: i for i, m in enumerate(items)}
    page, paging = paginate(
        ctx, len(items), lambda i: items[i], ids.get, params, f"/{acct.id}/tags", query,
        timestamp=lambda i: items[i]["timestamp"],
    )  # fmt: skip
    return [discovery.render_tag(ctx, m, fields) for m in page], paging


def mentioned_media(ctx: Ctx, f: Field) -> Any:
    mid = f.modifiers.get("media_id")
    if not mid:
        raise GraphError(100, "(#100) The parameter media_id is required")
    r = data.rng("mention", mid)
    acct = data.make_account(900, "visitante." + data.commenter(r)[1], "Visitante", "São Luís", 1, 0, ctx.state.anchor)
    m = data.feed_media(acct, 0)
    m = dict(
        m, id=mid, caption=f"Visitei o campus hoje! @{ctx.state.accounts[1].username} 💚", account=0, comment_plan=[]
    )
    return media(ctx, m, f.children, owner_view=False)


def mentioned_comment(ctx: Ctx, f: Field) -> Any:
    cid = f.modifiers.get("comment_id")
    if not cid:
        raise GraphError(100, "(#100) The parameter comment_id is required")
    r = data.rng("mention", cid)
    uid, uname = data.commenter(r)
    c = {
        "id": cid,
        "text": f"@{ctx.state.accounts[1].username} olha isso!",
        "timestamp": int(ctx.state.now()) - 600,
        "from_id": uid,
        "username": uname,
        "like_count": 0,
        "parent_id": None,
        "media_id": "0",
        "hidden": False,
    }
    return comment(ctx, c, f.children)


# ---------------------------------------------------------------- media

MEDIA_FIELDS = {
    "id",
    "caption",
    "media_type",
    "media_product_type",
    "media_url",
    "permalink",
    "thumbnail_url",
    "timestamp",
    "like_count",
    "comments_count",
    "shortcode",
    "username",
    "is_comment_enabled",
    "is_shared_to_feed",
    "alt_text",
    "owner",
    "legacy_instagram_media_id",
    "is_ai_generated",
    "children",
    "comments",
    "insights",
    "boost_eligibility_info",
    "copyright_check_information",
}
FB_MEDIA_FIELDS = {
    "reposts_count",
    "saved_count",
    "shares_count",
    "total_like_count",
    "total_comments_count",
    "total_views_count",
    "collaborators",
}


def media(
    ctx: Ctx, m: dict[str, Any], fields: Fields, in_edge: bool = False, owner_view: bool = True
) -> dict[str, Any]:
    st = ctx.state
    if fields is None:
        return {"id": m["id"]}
    acct = st.accounts.get(m["account"])
    username = acct.username if acct else "visitante"
    allowed = MEDIA_FIELDS | (FB_MEDIA_FIELDS if not ctx.ig_host else set())
    is_child, is_story = m["source"] == "child", m["media_product_type"] == "STORY"
    cdn = f"{ctx.req.base}/scontent.cdninstagram.com/v/{m['id']}"
    metrics = m.get("metrics", {})

    def scalar(name: str) -> Any:
        if name == "id":
            return m["id"]
        if name in ("media_type", "media_product_type", "shortcode"):
            return m[name]
        if name == "media_url":
            url = cdn + (".mp4" if m["media_type"] == "VIDEO" else ".jpg")
            return stories.signed(st, url, m) if is_story else url
        if name == "thumbnail_url":
            return cdn + "_thumb.jpg" if m["media_type"] == "VIDEO" else MISSING
        if name == "permalink":
            if is_child:
                return MISSING
            if is_story:
                return f"{ctx.req.base}/www.instagram.com/stories/{username}/{m['id']}/"
            kind = "reel" if m["media_product_type"] == "REELS" else "p"
            return f"{ctx.req.base}/www.instagram.com/{kind}/{m['shortcode']}/"
        if name == "caption":
            return MISSING if is_child or not m.get("caption") else m["caption"]
        if name == "timestamp":
            return insights.iso(m["timestamp"])
        if name == "like_count":
            return MISSING if is_child or is_story else metrics.get("likes", 0)
        if name == "comments_count":
            return MISSING if is_child or is_story else st.comments_count(m)
        if name == "username":
            return username
        if name == "is_comment_enabled":
            return st.comment_enabled.get(m["id"], True)
        if name == "is_shared_to_feed":
            return m["is_shared_to_feed"] if m["media_product_type"] == "REELS" else MISSING
        if name == "owner":
            return {"id": acct.id} if acct and owner_view else MISSING
        if name == "legacy_instagram_media_id":
            return str(int(m["id"][-12:]) + 3000000000000000000)
        if name == "is_ai_generated":
            return False
        fb = {
            "reposts_count": "reposts",
            "saved_count": "saved",
            "shares_count": "shares",
            "total_like_count": "likes",
            "total_views_count": "views",
        }
        if name in fb:
            return metrics.get(fb[name], 0)
        if name == "total_comments_count":
            return st.comments_count(m)
        return MISSING

    def edge(f: Field) -> Any:
        if f.name == "children":
            if not m.get("children"):
                return MISSING
            kids = [st.media(cid) for cid, _ in m["children"]]
            return {"data": [media(ctx, k, f.children or []) for k in kids if k]}
        if f.name == "comments":
            ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
            items, paging = comment_page(ctx, m, edge_params(f), f.children, edge_query(f))
            return {"data": items, "paging": paging} if paging else {"data": items}
        if f.name == "insights":
            ctx.require_scope("instagram_business_manage_insights", "instagram_manage_insights")
            metrics_ = split_args(f.modifiers.get("metric", ""))
            return {"data": media_insights(ctx, m, metrics_, f.modifiers.get("breakdown"))}
        if f.name == "collaborators":
            return {"data": []}
        return MISSING

    return node(m["id"], fields, "IGMedia" if not ctx.ig_host else "Media", scalar, edge, allowed)


def media_insights(ctx: Ctx, m: dict[str, Any], metrics: list[str], breakdown: str | None) -> list[dict[str, Any]]:
    converted = converted_at(ctx.state, m["account"])
    if converted is not None and m["timestamp"] < converted:
        raise conversion_error()
    comments = ctx.state.comments_count(m)
    return insights.media_insights(m, metrics, breakdown, ctx.fb_login, comments, ctx.state.now())


def converted_at(st: Any, account_no: int) -> float | None:
    """When the account became a business account (config converted_to_business), if set."""
    for key, day in (st.config.get("converted_to_business") or {}).items():
        acct = st.account(key)
        if acct is not None and acct.no == account_no:
            return float(calendar.timegm(time.strptime(str(day), "%Y-%m-%d")))
    return None


# ---------------------------------------------------------------- comments

COMMENT_FIELDS = {
    "id",
    "text",
    "timestamp",
    "username",
    "like_count",
    "hidden",
    "from",
    "parent_id",
    "replies",
    "media",
    "user",
    "legacy_instagram_comment_id",
}


def top_level(ctx: Ctx, m: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, list]]:
    everything = ctx.state.all_comments(m)
    tops = sorted((c for c in everything if c["parent_id"] is None), key=lambda c: -c["timestamp"])
    replies: dict[str, list[dict[str, Any]]] = {}
    for c in everything:
        if c["parent_id"] is not None:
            replies.setdefault(c["parent_id"], []).append(c)
    for lst in replies.values():
        lst.sort(key=lambda c: c["timestamp"])
    return tops, replies


def comment_page(
    ctx: Ctx, m: dict[str, Any], params: dict[str, str], fields: Fields, query: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    tops, replies = top_level(ctx, m)
    ids = {c["id"]: i for i, c in enumerate(tops)}
    items, paging = paginate(ctx, len(tops), lambda i: tops[i], ids.get, params, f"/{m['id']}/comments", query)
    return [comment(ctx, c, fields, replies) for c in items], paging


def comment(ctx: Ctx, c: dict[str, Any], fields: Fields, replies: dict[str, list] | None = None) -> dict[str, Any]:
    st = ctx.state
    if fields is None:
        fields = parse("timestamp,text,id")
    assert fields is not None
    media_obj = st.media(c["media_id"])
    owner = st.accounts.get(media_obj["account"]) if media_obj else None

    def scalar(name: str) -> Any:
        values = {
            "id": c["id"],
            "text": c["text"],
            "timestamp": insights.iso(c["timestamp"]),
            "username": c["username"],
            "like_count": c["like_count"],
            "hidden": c["hidden"],
            "legacy_instagram_comment_id": str(int(c["id"][-12:])),
        }
        if name == "parent_id":
            return c["parent_id"] or MISSING
        if name == "from":
            return {"id": c["from_id"], "username": c["username"]}
        if name == "user":
            return {"id": c["from_id"]} if owner and c["from_id"] == owner.id else MISSING
        if name == "media" and media_obj:
            return {"id": media_obj["id"], "media_product_type": media_obj["media_product_type"]}
        return values.get(name, MISSING)

    def edge(f: Field) -> Any:
        if f.name == "replies":
            if c["parent_id"] is not None:
                return MISSING
            nonlocal replies
            if replies is None:
                replies = top_level(ctx, media_obj)[1] if media_obj else {}
            kids = replies.get(c["id"], [])
            return {"data": [comment(ctx, r, f.children or parse("timestamp,text,id")) for r in kids]}
        if f.name in ("from", "media", "user"):
            return _sub(scalar(f.name), f)
        return MISSING

    return node(c["id"], fields, "IGComment", scalar, edge, COMMENT_FIELDS)


def _sub(value: Any, f: Field) -> Any:
    if value is MISSING or not isinstance(value, dict) or f.children is None:
        return value
    return {k: v for k, v in value.items() if k in _names(f.children) or k == "id"}


# ---------------------------------------------------------------- Facebook user and Page

PAGE_FIELDS = {
    "id",
    "name",
    "category",
    "category_list",
    "access_token",
    "tasks",
    "instagram_business_account",
    "fan_count",
    "followers_count",
    "link",
    "website",
    "about",
    "username",
    "connected_instagram_account",
    "verification_status",
    "picture",
}


def page(ctx: Ctx, fields: Fields, with_token: bool = False) -> dict[str, Any]:
    st = ctx.state
    if fields is None:
        fields = parse("name,id" if not with_token else "access_token,category,category_list,name,id,tasks")
    assert fields is not None
    acct = st.accounts[1]

    def scalar(name: str) -> Any:
        if name == "access_token":
            if ctx.token is None or ctx.token.type != "USER":
                return MISSING
            return st.page_token(ctx.token).token
        if name in ("instagram_business_account", "connected_instagram_account"):
            return {"id": acct.id}
        if name == "picture":
            return _page_picture(ctx)
        values = {
            "id": PAGE_ID,
            "name": PAGE_NAME,
            "category": "College & University",
            "category_list": [{"id": "2602", "name": "College & University"}],
            "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
            "fan_count": 18342,
            "followers_count": 19876,
            "about": "Instituto Federal do Maranhão",
            "link": "https://www.facebook.com/ifma.saoluis",
            "website": "https://portal.ifma.edu.br/saoluis",
            "username": "ifma.saoluis",
            "verification_status": "not_verified",
        }
        return values.get(name, MISSING)

    def edge(f: Field) -> Any:
        if f.name in ("instagram_business_account", "connected_instagram_account"):
            return ig_user(ctx, acct, f.children or [])
        if f.name == "picture":
            picture = _page_picture(ctx)["data"]
            return {"data": {k: v for k, v in picture.items() if k in _names(f.children)}}
        return MISSING

    return node(PAGE_ID, fields, "Page", scalar, edge, PAGE_FIELDS)


def _page_picture(ctx: Ctx) -> dict[str, Any]:
    """The Page's `picture` edge: `{"data": {"url", "height", "width", "is_silhouette"}}`."""
    url = f"{ctx.req.base}/scontent.xx.fbcdn.net/v/{PAGE_ID}.jpg"
    return {"data": {"url": url, "height": 50, "width": 50, "is_silhouette": False}}


def fb_user(ctx: Ctx, fields: Fields) -> dict[str, Any]:
    if fields is None:
        fields = parse("name,id")
    assert fields is not None

    def scalar(name: str) -> Any:
        return {
            "id": FB_USER_ID,
            "name": FB_USER_NAME,
            "first_name": "Pesquisadora",
            "last_name": "IFMA",
            "short_name": "Pesquisadora",
        }.get(name, MISSING)

    def edge(f: Field) -> Any:
        if f.name == "accounts":
            return {"data": [page(ctx, f.children, with_token=True)]}
        return MISSING

    return node(
        FB_USER_ID, fields, "User", scalar, edge, {"id", "name", "first_name", "last_name", "short_name", "accounts"}
    )
