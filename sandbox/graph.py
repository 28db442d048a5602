"""Graph API hosts: authentication, failure rules, counting, routing, batch."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qsl

from . import (
    APP_NAME,
    INSTAGRAM_APP_ID,
    META_APP_ID,
    PAGE_ID,
    apps,
    insights,
    messaging,
    oauth,
    pages,
    publishing,
    render,
    stories,
)
from .context import FB_HOST, IG_HOST, VERSION, Ctx, authenticate, classify, failure_keys, resolve, token_from
from .errors import GraphError, missing_param, no_object
from .failures import Rule, rule_error
from .fields import parse
from .state import State
from .web import Request, Response, json_response

NO_TOKEN_PATHS = {("debug_token",), ("oauth", "access_token"), ("access_token",), ("refresh_access_token",)}


def split(path: str) -> tuple[str, list[str]]:
    parts = [p for p in path.split("/") if p]
    if parts and VERSION.match(parts[0]):
        return parts[0], parts[1:]
    return "", parts


def endpoint_of(state: State, req: Request, parts: list[str]) -> str:
    labels = [classify(state, parts[0]), *parts[1:]] if parts else []
    return f"{req.method} {req.host} /" + "/".join(labels)


def handle(state: State, req: Request) -> Response:
    version, parts = split(req.path)
    if req.method == "POST" and not parts and req.host in (FB_HOST, IG_HOST):
        return batch(state, req, version)
    return execute(state, req)


def execute(state: State, req: Request) -> Response:
    version, parts = split(req.path)
    ctx = Ctx(state=state, req=req, version=version, parts=parts, params=req.params())
    rule: Rule | None = None
    limited: tuple[int, int] | None = None
    special = tuple(parts) in NO_TOKEN_PATHS
    try:
        with state.lock:
            if special:
                ctx.token_str = token_from(req, ctx.params)
                ctx.token = state.tokens.get(ctx.token_str or "")
            else:
                authenticate(ctx)
            rule = state.failures.match(ctx.token_str, failure_keys(ctx))
            if special and rule is None:
                ctx.token = None
            if rule is not None:
                if rule.mode == "rate_limited":
                    limited = (100, rule.regain_minutes)
                err = rule_error(rule, INSTAGRAM_APP_ID if ctx.ig_host else META_APP_ID)
                if err:
                    raise err
        if rule is not None and rule.mode == "slow":
            time.sleep(rule.delay)
        with state.lock:
            if special:
                ctx.token = None
            resp = json_response(route(ctx))
    except GraphError as exc:
        resp = json_response(exc.body(), exc.status)
    with state.lock:
        business = ctx.business or default_business(ctx)
        state.usage.record(endpoint_of(state, req, parts), ctx.token_str, business[0] if business else None)
        resp.headers.update(
            state.usage.headers(business[0] if business else None, business[1] if business else "instagram", limited)
        )
    return resp


def default_business(ctx: Ctx) -> tuple[str, str] | None:
    tok = ctx.token or ctx.state.tokens.get(ctx.token_str or "")
    if tok is None:
        return None
    if tok.type == "PAGE":
        return PAGE_ID, "pages"
    return ctx.state.accounts[tok.account_no].id, "instagram"


# ---------------------------------------------------------------- routing


def route(ctx: Ctx) -> Any:
    parts, method = ctx.parts, ctx.req.method
    key = tuple(parts)
    if key == ("debug_token",):
        return oauth.debug_token(ctx)
    if key == ("oauth", "access_token") and ctx.host == FB_HOST:
        return oauth.fb_access_token(ctx)
    if key == ("access_token",) and ctx.ig_host:
        return oauth.ig_exchange(ctx)
    if key == ("refresh_access_token",) and ctx.ig_host:
        return oauth.ig_refresh(ctx)
    if not parts or len(parts) > 2:
        raise GraphError(100, f"Unsupported {method.lower()} request.", type_="GraphMethodException")
    if parts[1:] == ["subscriptions"] and parts[0] in (META_APP_ID, INSTAGRAM_APP_ID) and ctx.host == FB_HOST:
        return apps.subscriptions(ctx, parts[0])
    if method == "GET" and parts[1:] == ["insights"] and (story := publishing.find_page_story(ctx.state, parts[0])):
        return publishing.page_story_insights(ctx, story)
    edge = parts[1] if len(parts) == 2 else None
    if method == "GET" and ctx.fb_login and pages.post_index(parts[0]) is not None:
        return pages.read_post(ctx, pages.post(ctx.state.seed, ctx.state.anchor, pages.post_index(parts[0]) or 0), edge)
    kind, obj = resolve(ctx, parts[0], method.lower())
    if kind == "media":
        stories.refuse_if_expired(ctx.state, parts[0], obj)
    if method == "GET":
        return read(ctx, kind, obj, edge)
    if method == "POST":
        return write(ctx, kind, obj, edge)
    if method == "DELETE":
        return delete(ctx, kind, obj, edge)
    raise GraphError(100, f"Unsupported {method.lower()} request.", type_="GraphMethodException")


def fields(ctx: Ctx) -> render.Fields:
    return parse(ctx.params.get("fields"))


def read(ctx: Ctx, kind: str, obj: Any, edge: str | None) -> Any:
    st, f = ctx.state, fields(ctx)
    if edge is None:
        if kind in ("ig_me", "ig_user"):
            return render.ig_user(ctx, obj, f, me=kind == "ig_me")
        if kind == "fb_user":
            return render.fb_user(ctx, f)
        if kind == "page":
            return render.page(ctx, f)
        if kind == "media":
            return render.media(ctx, obj, f)
        if kind == "comment":
            ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
            return render.comment(ctx, obj, f)
        if kind == "container":
            return publishing.container_status(ctx, obj, f)
        if kind == "video":
            return publishing.video_status(ctx, obj, f)
        if kind == "photo":
            return {"id": obj["id"]}
        if kind == "conversation":
            return messaging.read_conversation(ctx, obj, f)
        if kind == "message":
            return messaging.read_message(ctx, obj, f)
        if kind == "ig_person":
            return messaging.read_person(ctx, obj, f)
    if kind == "conversation" and edge == "messages":
        return messaging.messages_edge(ctx, obj)
    if edge == "conversations" and kind in ("ig_me", "ig_user"):
        return messaging.conversations(ctx, obj, via_page=False)
    if edge == "conversations" and kind == "page" and ctx.token is not None:
        return messaging.conversations(ctx, st.accounts[ctx.token.account_no], via_page=True)
    if edge == "permissions" and kind in ("ig_me", "fb_user"):
        return oauth.permissions(ctx)
    if kind in ("ig_me", "ig_user"):
        acct = obj
        if edge == "media":
            query = {k: v for k, v in ctx.params.items() if k != "access_token"}
            items, paging = render.feed_page(ctx, acct, ctx.params, f, query)
            return {"data": items, "paging": paging} if paging else {"data": items}
        if edge == "stories":
            return {"data": [render.media(ctx, m, f) for m in st.live_stories(acct)]}
        if edge == "insights":
            ctx.require_scope("instagram_business_manage_insights", "instagram_manage_insights")
            return insights.account_insights(
                acct, ctx.params, st.now(), lambda q: ctx.path_url(f"/{acct.id}/insights", q)
            )
        if edge == "content_publishing_limit":
            return publishing.publishing_limit(ctx, acct)
        if edge == "subscribed_apps" and kind == "ig_me":
            return subscribed_list(ctx, acct.id)
        if edge == "tags":
            query = {k: v for k, v in ctx.params.items() if k != "access_token"}
            items, paging = render.tags_page(ctx, acct, ctx.params, f, query)
            return {"data": items, "paging": paging} if paging else {"data": items}
        if edge == "live_media":
            return {"data": []}
    if kind == "fb_user" and edge == "accounts":
        ctx.require_scope("", "pages_show_list")
        items = [render.page(ctx, f, with_token=True)]
        from .context import encode_cursor

        cur = encode_cursor(PAGE_ID)
        return {"data": items, "paging": {"cursors": {"before": cur, "after": cur}}}
    if kind == "page":
        if edge == "subscribed_apps":
            return subscribed_list(ctx, PAGE_ID)
        if edge == "stories":
            return publishing.page_stories(ctx)
        if edge in ("posts", "published_posts", "feed"):
            return pages.posts_edge(ctx, edge)
        if edge == "insights":
            return pages.page_insights(ctx)
    if kind == "media":
        if edge == "children":
            return render.media(ctx, obj, parse(f"children{{{ctx.params.get('fields', 'id')}}}")).get(
                "children", {"data": []}
            )
        if edge == "comments":
            ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
            query = {k: v for k, v in ctx.params.items() if k != "access_token"}
            items, paging = render.comment_page(ctx, obj, ctx.params, f, query)
            return {"data": items, "paging": paging} if paging else {"data": items}
        if edge == "insights":
            ctx.require_scope("instagram_business_manage_insights", "instagram_manage_insights")
            metrics = [m.strip() for m in ctx.params.get("metric", "").split(",") if m.strip()]
            return {"data": render.media_insights(ctx, obj, metrics, ctx.params.get("breakdown"))}
    if kind == "comment" and edge == "replies":
        ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
        data = render.comment(ctx, obj, [parse_one("replies", ctx.params.get("fields"))])
        return data.get("replies", {"data": []})
    raise no_object(ctx.parts[0])


def parse_one(name: str, inner: str | None) -> Any:
    return (parse(f"{name}{{{inner}}}") or [None])[0] if inner else (parse(name) or [None])[0]


# ---------------------------------------------------------------- writes


def write(ctx: Ctx, kind: str, obj: Any, edge: str | None) -> Any:
    st, p = ctx.state, ctx.params
    if edge == "messages" and kind in ("ig_me", "ig_user"):
        return messaging.send(ctx, obj)
    if edge == "messages" and kind == "page" and ctx.token is not None:
        return messaging.send(ctx, st.accounts[ctx.token.account_no])
    if kind in ("ig_me", "ig_user"):
        if edge == "media":
            return publishing.create_container(ctx, obj)
        if edge == "media_publish":
            return publishing.publish(ctx, obj)
        if edge == "subscribed_apps" and kind == "ig_me":
            return subscribe(ctx, obj.id)
    if kind == "page":
        if edge == "subscribed_apps":
            require_page_token(ctx)
            return subscribe(ctx, PAGE_ID)
        if edge in ("photos", "photo_stories", "video_stories"):
            require_page_token(ctx)
            ctx.require_scope("", "pages_manage_posts")
            return getattr(publishing, edge)(ctx)
    if kind == "comment":
        ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
        if edge == "replies":
            if obj["parent_id"] is not None:
                raise GraphError(100, "(#100) Replies to replies are not supported")
            return {"id": new_comment(ctx, obj["media_id"], obj["id"])}
        if edge is None and "hide" in p:
            st.comment_flags.setdefault(obj["id"], {})["hidden"] = p["hide"].lower() == "true"
            return {"success": True}
    if kind == "media":
        if edge == "comments":
            ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
            return {"id": new_comment(ctx, obj["id"], None)}
        if edge is None and "comment_enabled" in p:
            st.comment_enabled[obj["id"]] = p["comment_enabled"].lower() == "true"
            return {"success": True}
    raise GraphError(100, "Unsupported post request.", type_="GraphMethodException")


def new_comment(ctx: Ctx, media_id: str, parent_id: str | None) -> str:
    st = ctx.state
    message = ctx.params.get("message")
    if not message:
        raise missing_param("message")
    media = st.media(media_id)
    if media is None or media["media_product_type"] == "STORY":
        raise no_object(media_id, "post")
    if not st.comment_enabled.get(media_id, True):
        raise GraphError(100, "(#100) Comments are disabled for this media")
    acct = st.accounts[media["account"]]
    return str(st.add_comment(media, message, acct.username, acct.id, parent_id)["id"])


def delete(ctx: Ctx, kind: str, obj: Any, edge: str | None) -> Any:
    if edge == "permissions" and kind in ("ig_me", "fb_user"):
        return oauth.revoke(ctx)
    if kind == "comment" and edge is None:
        ctx.require_scope("instagram_business_manage_comments", "instagram_manage_comments")
        ctx.state.comment_flags.setdefault(obj["id"], {})["deleted"] = True
        return {"success": True}
    if edge == "subscribed_apps" and kind in ("page", "ig_me"):
        ctx.state.subscriptions.pop(PAGE_ID if kind == "page" else obj.id, None)
        return {"success": True}
    raise GraphError(100, "Unsupported delete request.", type_="GraphMethodException")


def require_page_token(ctx: Ctx) -> None:
    if ctx.token is None or ctx.token.type != "PAGE":
        raise GraphError(210, "(#210) A page access token is required to request this resource.")


def subscribe(ctx: Ctx, obj_id: str) -> dict[str, Any]:
    raw = ctx.params.get("subscribed_fields")
    if not raw:
        raise missing_param("subscribed_fields")
    if ctx.fb_login:
        ctx.require_scope("", "pages_manage_metadata")
    fields_ = [f.strip() for f in raw.strip("[]").replace('"', "").split(",") if f.strip()]
    current = ctx.state.subscriptions.setdefault(obj_id, [])
    current.extend(f for f in fields_ if f not in current)
    return {"success": True}


def subscribed_list(ctx: Ctx, obj_id: str) -> dict[str, Any]:
    if obj_id not in ctx.state.subscriptions:
        return {"data": []}
    app_id = INSTAGRAM_APP_ID if ctx.ig_host else META_APP_ID
    return {"data": [{"id": app_id, "name": APP_NAME, "subscribed_fields": ctx.state.subscriptions[obj_id]}]}


# ---------------------------------------------------------------- batch


def batch(state: State, req: Request, version: str) -> Response:
    params = req.params()
    top = token_from(req, params)
    try:
        if req.host == IG_HOST:
            raise GraphError(100, "Unsupported post request.", type_="GraphMethodException")
        if not top:
            raise GraphError(102, "A user access token is required to request this resource.")
        if "batch" not in params:
            raise missing_param("batch")
        try:
            ops = json.loads(params["batch"])
        except ValueError as exc:
            raise GraphError(100, "(#100) The parameter batch must be a JSON array") from exc
        if not isinstance(ops, list):
            raise GraphError(100, "(#100) The parameter batch must be a JSON array")
        if len(ops) > 50:
            raise GraphError(
                1, "Too many requests in batch message. Maximum batch size is 50", type_="GraphBatchException"
            )
    except GraphError as exc:
        return json_response(exc.body(), exc.status)
    include_headers = params.get("include_headers", "true") != "false"
    results: list[dict[str, Any] | None] = []
    last: Response | None = None
    for op in ops:
        method = str(op.get("method", "GET")).upper()
        rel = str(op.get("relative_url", "")).lstrip("/")
        path, _, qs = rel.partition("?")
        query = dict(parse_qsl(qs, keep_blank_values=True))
        body = op.get("body") or ""
        form = dict(parse_qsl(body, keep_blank_values=True)) if isinstance(body, str) else dict(body)
        if "access_token" not in query and "access_token" not in form:
            query["access_token"] = top
        if version and not VERSION.match(path.split("/")[0]):
            path = f"{version}/{path}"
        sub = Request(method=method, host=req.host, path="/" + path, query=query, headers={}, base=req.base, form=form)
        last = execute(state, sub)
        item: dict[str, Any] = {"code": last.status}
        if include_headers:
            item["headers"] = [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}]
            item["headers"] += [{"name": k, "value": v} for k, v in last.headers.items()]
        item["body"] = last.body.decode()
        results.append(item)
    headers = {k: v for k, v in (last.headers if last else {}).items() if k.startswith("X-")}
    return json_response(results, headers=headers)
