"""Publishing: IG content containers, Page photo/video stories, rupload uploads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import PAGE_ID
from .errors import GraphError, missing_param, no_object
from .fields import Field
from .state import State
from .web import Request, Response, json_response

if TYPE_CHECKING:
    from .context import Ctx
    from .data import Account

STATUS_TEXT = {
    "IN_PROGRESS": "In Progress: Media is still being processed.",
    "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
    "PUBLISHED": "Published: Media has been successfully published.",
    "EXPIRED": "Expired: Media was not published within 24 hours.",
}


def _publish_scope(ctx: Ctx) -> None:
    ctx.require_scope("instagram_business_content_publish", "instagram_content_publish")


def _check_url(url: str) -> None:
    if not url.startswith(("http://", "https://")) or "unreachable" in url:
        raise GraphError(
            9004,
            "Media download has failed. The media URI doesn't meet our requirements.",
            subcode=2207052,
            error_user_title="Media download failed",
            error_user_msg="The media could not be fetched from the URI provided.",
        )


def create_container(ctx: Ctx, acct: Account) -> dict[str, Any]:
    _publish_scope(ctx)
    st, p = ctx.state, ctx.params
    media_type = p.get("media_type", "").upper()
    carousel_item = p.get("is_carousel_item", "").lower() == "true"
    resumable = p.get("upload_type") == "resumable"
    caption = p.get("caption", "")
    if len(caption) > 2200:
        raise GraphError(36004, "The caption is too long.", subcode=2207010)
    children: list[str] = []
    if media_type in ("", "IMAGE"):
        if not p.get("image_url"):
            raise missing_param("image_url")
        kind, product, url = "IMAGE", "FEED", p["image_url"]
    elif media_type == "VIDEO" and carousel_item:
        kind, product, url = "VIDEO", "FEED", p.get("video_url", "")
    elif media_type == "REELS":
        kind, product, url = "VIDEO", "REELS", p.get("video_url", "")
    elif media_type == "STORIES":
        url = p.get("image_url") or p.get("video_url", "")
        kind, product = ("IMAGE" if p.get("image_url") else "VIDEO"), "STORY"
    elif media_type == "CAROUSEL":
        children = [c.strip() for c in p.get("children", "").split(",") if c.strip()]
        if not 2 <= len(children) <= 10:
            raise GraphError(100, "(#100) A carousel needs between 2 and 10 children.")
        for cid in children:
            child = st.containers.get(cid)
            if child is None or child["account"] != acct.no or not child["carousel_item"]:
                raise GraphError(100, f"(#100) Invalid carousel child {cid}.")
        kind, product, url = "CAROUSEL_ALBUM", "FEED", ""
    elif media_type == "VIDEO":
        raise GraphError(100, "(#100) The media type VIDEO is no longer supported. Use REELS.")
    else:
        raise GraphError(100, f"(#100) Invalid media_type {media_type}.")
    if media_type != "CAROUSEL" and not resumable:
        if not url:
            raise missing_param("video_url")
        _check_url(url)
    cid = st.new_id("177")
    st.containers[cid] = {
        "id": cid,
        "account": acct.no,
        "media_type": kind,
        "product": product,
        "url": url,
        "caption": caption,
        "children": children,
        "carousel_item": carousel_item,
        "polls": 0,
        "created": st.now(),
        "published_id": None,
        "uploaded": not resumable,
    }
    if resumable:
        ver = ctx.version or "v25.0"
        return {"id": cid, "uri": f"{ctx.req.base}/rupload.facebook.com/ig-api-upload/{ver}/{cid}"}
    return {"id": cid}


def _container_code(st: State, c: dict[str, Any]) -> str:
    if c["published_id"]:
        return "PUBLISHED"
    if st.now() - c["created"] > 86400:
        return "EXPIRED"
    if c["uploaded"] and (
        c["polls"] >= st.config["container_polls"]
        or st.now() - c["created"] > st.config.get("container_ready_seconds", 30)
    ):
        return "FINISHED"
    return "IN_PROGRESS"


def container_status(ctx: Ctx, c: dict[str, Any], fields: list[Field] | None) -> dict[str, Any]:
    st = ctx.state
    code = _container_code(st, c)
    if c["uploaded"]:
        c["polls"] += 1
    values = {"status_code": code, "status": STATUS_TEXT[code], "id": c["id"]}
    names = [f.name for f in fields] if fields else ["id"]
    out = {n: values[n] for n in names if n in values}
    out.setdefault("id", c["id"])
    return out


def publish(ctx: Ctx, acct: Account) -> dict[str, Any]:
    _publish_scope(ctx)
    st = ctx.state
    cid = ctx.params.get("creation_id")
    if not cid:
        raise missing_param("creation_id")
    c = st.containers.get(cid)
    if c is None or c["account"] != acct.no:
        raise no_object(cid, "post")
    code = _container_code(st, c)
    if code == "PUBLISHED":
        raise GraphError(100, "(#100) This media has already been published.")
    if code != "FINISHED":
        raise GraphError(
            9007,
            "Media ID is not available",
            subcode=2207027,
            is_transient=False,
            error_user_title="Media not ready for publishing",
            error_user_msg="The media is not ready for publishing, please wait for a moment",
        )
    if quota_usage(st, acct) >= st.config["publish_quota"]:
        raise GraphError(
            9,
            "Application request limit reached",
            subcode=2207042,
            is_transient=False,
            error_user_title="Maximum number of posts reached",
            error_user_msg="You've reached the maximum number of posts allowed in 24 hours.",
        )
    mid = st.new_id("183")
    now = int(st.now())
    kids = []
    for child_cid in c["children"]:
        ch = st.containers[child_cid]
        kid = st.new_id("184")
        st.published[kid] = _media(kid, acct, ch["media_type"], "FEED", now, "", "child")
        kids.append((kid, ch["media_type"]))
    m = _media(mid, acct, c["media_type"], c["product"], now, c["caption"], "published")
    m["children"] = kids
    st.published[mid] = m
    target = st.published_stories if c["product"] == "STORY" else st.published_feed
    target.setdefault(acct.no, []).append(mid)
    c["published_id"] = mid
    return {"id": mid}


def _media(
    mid: str, acct: Account, media_type: str, product: str, now: int, caption: str, source: str
) -> dict[str, Any]:
    zero = {
        k: 0 for k in ("reach", "views", "likes", "saved", "shares", "reposts", "follows", "profile_visits", "replies")
    }
    if product == "REELS":
        zero.update(ig_reels_avg_watch_time=0, ig_reels_video_view_total_time=0, reels_skip_rate=0)
    return {
        "id": mid,
        "account": acct.no,
        "index": -1,
        "source": source,
        "media_type": media_type,
        "media_product_type": product,
        "timestamp": now,
        "caption": caption or None,
        "shortcode": "P" + mid[-10:],
        "metrics": zero,
        "comment_plan": [],
        "children": [],
        "is_shared_to_feed": product == "REELS",
        "published_via_api": True,
    }


def quota_usage(st: State, acct: Account) -> int:
    cutoff = st.now() - 86400
    return sum(
        1
        for m in st.published.values()
        if m["account"] == acct.no and m["source"] == "published" and m["timestamp"] > cutoff
    )


def publishing_limit(ctx: Ctx, acct: Account) -> dict[str, Any]:
    st = ctx.state
    item = {
        "quota_usage": quota_usage(st, acct),
        "config": {"quota_total": st.config["publish_quota"], "quota_duration": 86400},
    }
    wanted = [f.strip() for f in ctx.params.get("fields", "").split(",") if f.strip()]
    if wanted:
        item = {k: v for k, v in item.items() if k in wanted}
    return {"data": [item]}


# ---------------------------------------------------------------- Page stories


def photos(ctx: Ctx) -> dict[str, Any]:
    st, p = ctx.state, ctx.params
    if not p.get("url") and "source" not in ctx.req.files:
        raise missing_param("url")
    if p.get("url"):
        _check_url(p["url"])
    pid = st.new_id("30")
    published = p.get("published", "true").lower() != "false"
    st.page_photos[pid] = {
        "id": pid,
        "url": p.get("url"),
        "published": published,
        "used": False,
        "bytes": len(ctx.req.files.get("source", b"")),
    }
    if published:
        return {"id": pid, "post_id": f"{PAGE_ID}_{pid}"}
    return {"id": pid}


def _story(ctx: Ctx, media_type: str, media_id: str) -> dict[str, Any]:
    st = ctx.state
    post_id = st.new_id("5")
    story = {
        "post_id": post_id,
        "status": "PUBLISHED",
        "creation_time": str(int(st.now())),
        "media_type": media_type,
        "media_id": media_id,
        "url": f"{ctx.req.base}/www.facebook.com/stories/{PAGE_ID}/{post_id}/",
    }
    st.page_stories.append(story)
    return {"success": True, "post_id": post_id}


def photo_stories(ctx: Ctx) -> dict[str, Any]:
    photo_id = ctx.params.get("photo_id")
    if not photo_id:
        raise missing_param("photo_id")
    photo = ctx.state.page_photos.get(photo_id)
    if photo is None:
        raise no_object(photo_id, "post")
    if photo["published"] or photo["used"]:
        raise GraphError(100, "(#100) Media already used in a published post cannot be used in a story.")
    photo["used"] = True
    return _story(ctx, "photo", photo_id)


def video_stories(ctx: Ctx) -> dict[str, Any]:
    st, p = ctx.state, ctx.params
    phase = p.get("upload_phase")
    if phase == "start":
        vid = st.new_id("40")
        st.page_videos[vid] = {
            "id": vid,
            "bytes": 0,
            "file_size": None,
            "uploaded": False,
            "published": False,
            "file_url": None,
        }
        ver = ctx.version or "v25.0"
        return {"video_id": vid, "upload_url": f"{ctx.req.base}/rupload.facebook.com/video-upload/{ver}/{vid}"}
    if phase == "finish":
        vid = p.get("video_id")
        if not vid:
            raise missing_param("video_id")
        video = st.page_videos.get(vid)
        if video is None:
            raise no_object(vid, "post")
        if not video["uploaded"]:
            raise GraphError(100, "(#100) The video has not been uploaded yet.")
        if video["published"]:
            raise GraphError(100, "(#100) The video has already been published.")
        video["published"] = True
        return _story(ctx, "video", vid)
    raise GraphError(100, "(#100) upload_phase must be one of start, finish")


def video_status(ctx: Ctx, video: dict[str, Any], fields: list[Field] | None) -> dict[str, Any]:
    up = "complete" if video["uploaded"] else ("in_progress" if video["bytes"] else "not_started")
    status = {
        "video_status": "ready" if video["uploaded"] else "upload_in_progress",
        "uploading_phase": {"status": up, "bytes_transfered": video["bytes"]},
        "processing_phase": {"status": "complete" if video["uploaded"] else "not_started"},
        "publishing_phase": {
            "status": "complete" if video["published"] else "not_started",
            "publish_status": "published" if video["published"] else "not_published",
            "publish_time": None,
        },
    }
    out: dict[str, Any] = {"id": video["id"]}
    if fields is None or any(f.name == "status" for f in fields):
        out = {"status": status, "id": video["id"]}
    return out


def find_page_story(st: State, post_id: str) -> dict[str, Any] | None:
    return next((s for s in st.page_stories if s["post_id"] == post_id), None)


PAGE_STORY_METRICS = {"post_impressions_unique": "reach", "post_media_view": "views"}


def page_story_insights(ctx: Ctx, story: dict[str, Any]) -> dict[str, Any]:
    """Page Post Insights for a Page story: lifetime values, 0 until viewers come (then set by control)."""
    if ctx.token is None or ctx.token.type != "PAGE":
        raise GraphError(210, "(#210) A page access token is required to request this resource.")
    names = [m.strip() for m in ctx.params.get("metric", "").split(",") if m.strip()]
    if not names:
        raise GraphError(100, "(#100) The value must be a valid insights metric", subcode=1504028)
    unknown = [n for n in names if n not in PAGE_STORY_METRICS]
    if unknown:
        raise GraphError(100, "(#100) The value must be a valid insights metric")
    metrics = story.get("metrics", {})
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": metrics.get(PAGE_STORY_METRICS[name], 0)}],
            "title": "Lifetime " + PAGE_STORY_METRICS[name],
            "description": f"Lifetime: {PAGE_STORY_METRICS[name]} of the story ({name}).",
            "id": f"{story['post_id']}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return {"data": data}


def set_story_insights(st: State, body: dict[str, Any]) -> dict[str, Any]:
    """Control: give a published story viewers. `id` is a Page story's post_id or an IG story media id;
    `metrics` its lifetime counts; `age_minutes` backdates an IG story (Meta shows nothing in its first hour)."""
    story_id = str(body.get("id") or "")
    metrics = {str(k): int(v) for k, v in dict(body.get("metrics") or {}).items()}
    page_story = find_page_story(st, story_id)
    if page_story is not None:
        page_story.setdefault("metrics", {}).update(metrics)
        return {"id": story_id, "metrics": page_story["metrics"]}
    media = st.media(story_id)
    if media is None or media["media_product_type"] != "STORY":
        raise ValueError("id is neither a Page story post_id nor an Instagram story media id")
    media["metrics"].update(metrics)
    media["timestamp"] -= float(body.get("age_minutes") or 0) * 60
    return {"id": story_id, "metrics": media["metrics"]}


def page_stories(ctx: Ctx) -> dict[str, Any]:
    since = int(ctx.params.get("since") or 0)
    until = int(ctx.params.get("until") or 2**62)
    items = [s for s in ctx.state.page_stories if since <= int(s["creation_time"]) <= until]
    return {"data": sorted(items, key=lambda s: -int(s["creation_time"]))}


# ---------------------------------------------------------------- rupload host


def rupload(state: State, req: Request) -> Response:
    parts = [p for p in req.path.split("/") if p]
    auth = req.headers.get("authorization", "")
    token = auth[6:].strip() if auth.startswith("OAuth ") else None
    with state.lock:
        tok = state.tokens.get(token or "")
        grant = state.grants.get(tok.grant_id) if tok else None
        if tok is None or grant is None or grant.revoked or (tok.expires_at and tok.expires_at < state.now()):
            err = GraphError(190, "Invalid OAuth access token.", type_="OAuthException")
            return json_response({"debug_info": {"retriable": False, "type": "AuthError", "message": err.message}}, 400)
        if len(parts) != 3 or parts[0] not in ("video-upload", "ig-api-upload"):
            return json_response(
                {"debug_info": {"retriable": False, "type": "NotFound", "message": "Unknown upload path"}}, 404
            )
        target = (state.page_videos if parts[0] == "video-upload" else state.containers).get(parts[2])
        if target is None:
            return json_response(
                {"debug_info": {"retriable": False, "type": "NotFound", "message": "Unknown upload session"}}, 404
            )
        if parts[0] == "ig-api-upload":
            target["uploaded"] = True
            return json_response({"success": True, "message": "Upload successful."})
        if req.headers.get("file_url") or req.headers.get("file-url"):
            target.update(uploaded=True, file_url=req.headers.get("file_url") or req.headers["file-url"], bytes=1048576)
            return json_response({"success": True})
        try:
            offset = int(req.headers.get("offset", "0"))
            size = int(req.headers.get("file_size") or req.headers.get("file-size") or len(req.body))
        except ValueError:
            return json_response(
                {
                    "debug_info": {
                        "retriable": False,
                        "type": "BadRequest",
                        "message": "offset and file_size must be integers",
                    }
                },
                400,
            )
        if offset != target["bytes"]:
            return json_response(
                {
                    "debug_info": {
                        "retriable": True,
                        "type": "OffsetMismatch",
                        "message": f"Expected offset {target['bytes']}",
                    }
                },
                400,
            )
        target["bytes"] = offset + len(req.body)
        target["file_size"] = size
        target["uploaded"] = target["bytes"] >= size
        return json_response({"success": True})


def published_summary(state: State) -> dict[str, Any]:
    ig = [
        {
            "id": m["id"],
            "account": state.accounts[m["account"]].username,
            "media_type": m["media_type"],
            "media_product_type": m["media_product_type"],
            "caption": m["caption"],
            "timestamp": m["timestamp"],
        }
        for m in state.published.values()
        if m["source"] == "published"
    ]
    return {
        "page_stories": list(state.page_stories),
        "ig_media": ig,
        "containers": [{k: v for k, v in c.items()} for c in state.containers.values()],
    }
