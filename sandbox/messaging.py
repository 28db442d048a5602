"""Instagram messaging: the Send API and the Conversations API (both logins)."""

from __future__ import annotations

import json
from typing import Any

from . import insights
from .context import FB_HOST, Ctx
from .data import Account, conversation_id
from .errors import GraphError, missing_param, permission
from .fields import Field, parse
from .render import MISSING, Fields, edge_params, edge_query, node, paginate

WINDOW = 24 * 3600  # the standard messaging window
HUMAN_AGENT_WINDOW = 7 * 24 * 3600  # messaging_type=MESSAGE_TAG&tag=HUMAN_AGENT
MAX_TEXT = 1000
CONVERSATION_FIELDS = {"id", "updated_time", "participants", "messages", "message_count", "can_reply", "snippet"}
MESSAGE_FIELDS = {
    "id",
    "created_time",
    "from",
    "to",
    "message",
    "attachments",
    "reactions",
    "shares",
    "story",
    "tags",
    "is_unsupported",
}
ATTACHMENT_TYPES = {"image", "video", "audio", "file"}


def require_messaging(ctx: Ctx) -> None:
    """instagram_business_manage_messages (Instagram Login); with Facebook Login a Page token
    holding instagram_manage_messages (or pages_messaging)."""
    tok = ctx.token
    if tok is not None and tok.login == "facebook":
        if not {"instagram_manage_messages", "pages_messaging"} & set(tok.scopes):
            raise permission("instagram_manage_messages")
        if tok.type != "PAGE":
            raise GraphError(210, "(#210) A page access token is required to request this resource.")
        return
    ctx.require_scope("instagram_business_manage_messages", "instagram_manage_messages")


# ---------------------------------------------------------------- Send API


def outside_window(ctx: Ctx) -> GraphError:
    """As recorded from graph.instagram.com/me/messages (HTTP 403, IGApiException, no "(#10)"
    prefix: github.com/ComposioHQ/composio/issues/3604); the Page host keeps the Graph shape."""
    if ctx.host == FB_HOST:
        return GraphError(10, "(#10) This message is sent outside of allowed window.", subcode=2534022)
    return GraphError(
        10, "This message is sent outside of allowed window.", subcode=2534022, type_="IGApiException", status=403
    )


def _json_param(ctx: Ctx, name: str) -> dict[str, Any]:
    raw = ctx.params.get(name)
    if raw is None or raw == "":
        raise missing_param(name)
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise GraphError(100, f"(#100) param {name} must be a JSON object") from exc
    if not isinstance(value, dict):
        raise GraphError(100, f"(#100) param {name} must be a JSON object")
    return value


def send(ctx: Ctx, acct: Account) -> dict[str, Any]:
    """POST /me/messages, /{ig-user-id}/messages, /{page-id}/messages."""
    st, p = ctx.state, ctx.params
    require_messaging(ctx)
    recipient = _json_param(ctx, "recipient")
    igsid = str(recipient.get("id") or "")
    if not igsid:
        raise GraphError(100, "(#100) param recipient[id] must be non-empty.")
    action = p.get("sender_action")
    message: dict[str, Any] = {}
    if not action:
        message = _json_param(ctx, "message")
    text = message.get("text")
    attachments: list[dict[str, str]] = []
    if not action:
        if text is not None and not isinstance(text, str):
            raise GraphError(100, "(#100) param message[text] must be a string.")
        attachment = message.get("attachment")
        if isinstance(attachment, dict):
            kind = str(attachment.get("type", ""))
            payload = attachment.get("payload") if isinstance(attachment.get("payload"), dict) else {}
            if kind not in ATTACHMENT_TYPES and kind != "like_heart":
                raise GraphError(100, "(#100) Invalid attachment type")
            attachments.append({"type": kind, "url": str((payload or {}).get("url", ""))})
        if not text and not attachments:
            raise GraphError(100, "(#100) The parameter message must contain text or an attachment")
        if text and len(text) > MAX_TEXT:
            raise GraphError(100, f"(#100) Length of param message[text] must be less than or equal to {MAX_TEXT}")
    conv = st.conversations.get(conversation_id(acct, igsid))
    if conv is None or not conv["messages"]:
        raise GraphError(100, "(#100) No matching user found", subcode=2534014)
    last = st.last_user_message_at(conv)
    window = WINDOW
    if p.get("messaging_type") == "MESSAGE_TAG" and p.get("tag") == "HUMAN_AGENT":
        window = HUMAN_AGENT_WINDOW
    if last is None or st.now() - last > window:
        raise outside_window(ctx)
    if action:
        if action == "mark_seen":
            conv["account_read_at"] = st.now()
        return {"recipient_id": igsid}
    msg = st.add_message(acct, igsid, text or None, True, attachments=attachments, source="api")
    # Kept so a test can see how the app labelled the message (RESPONSE, or MESSAGE_TAG + tag).
    msg["messaging_type"], msg["tag"] = p.get("messaging_type") or "", p.get("tag") or ""
    return {"recipient_id": igsid, "message_id": msg["id"]}


# ---------------------------------------------------------------- Conversations API


def conversations(ctx: Ctx, acct: Account, via_page: bool) -> dict[str, Any]:
    """GET /me/conversations, /{ig-user-id}/conversations, /{page-id}/conversations?platform=instagram."""
    st, p = ctx.state, ctx.params
    require_messaging(ctx)
    platform = (p.get("platform") or "").lower()
    if via_page and ctx.host == FB_HOST and platform != "instagram":
        return {"data": []}  # the Page's Messenger inbox: empty in the sandbox
    if platform and platform not in ("instagram", "messenger"):
        raise GraphError(100, "(#100) param platform must be one of {MESSENGER, INSTAGRAM} - got " + f'"{platform}"')
    if platform == "messenger":
        return {"data": []}
    convs = st.account_conversations(acct)
    if p.get("user_id"):
        convs = [c for c in convs if c["igsid"] == p["user_id"]]
    fields = parse(p["fields"]) if "fields" in p else parse("id,updated_time")
    query = {k: v for k, v in p.items() if k != "access_token"}
    ids = {c["id"]: i for i, c in enumerate(convs)}
    items, paging = paginate(ctx, len(convs), lambda i: convs[i], ids.get, p, f"/{ctx.parts[0]}/conversations", query)
    out = [conversation(ctx, c, fields) for c in items]
    return {"data": out, "paging": paging} if paging else {"data": out}


def _participant(ctx: Ctx, conv: dict[str, Any], account_side: bool) -> dict[str, str]:
    if account_side:
        acct = ctx.state.accounts[conv["account"]]
        return {"username": acct.username, "id": acct.id}
    return {"username": conv["username"], "id": conv["igsid"]}


def conversation(ctx: Ctx, conv: dict[str, Any], fields: Fields) -> dict[str, Any]:
    st = ctx.state
    if fields is None:
        fields = parse("id")
    assert fields is not None

    def scalar(name: str) -> Any:
        last = st.last_user_message_at(conv)
        newest = st.messages[conv["messages"][-1]] if conv["messages"] else None
        values: dict[str, Any] = {
            "id": conv["id"],
            "updated_time": insights.iso(st.updated_at(conv)),
            "message_count": len(conv["messages"]),
            "can_reply": last is not None and st.now() - last <= WINDOW,
            "snippet": (newest or {}).get("text") or "",
        }
        if name == "participants":
            return {"data": [_participant(ctx, conv, True), _participant(ctx, conv, False)]}
        return values.get(name, MISSING)

    def edge(f: Field) -> Any:
        if f.name == "messages":
            items, paging = messages_page(ctx, conv, edge_params(f), f.children, edge_query(f))
            return {"data": items, "paging": paging} if paging else {"data": items}
        return MISSING

    return node(conv["id"], fields, "UnifiedThread", scalar, edge, CONVERSATION_FIELDS)


def messages_page(
    ctx: Ctx, conv: dict[str, Any], params: dict[str, str], fields: Fields, query: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    msgs = ctx.state.conversation_messages(conv)
    ids = {m["id"]: i for i, m in enumerate(msgs)}
    items, paging = paginate(ctx, len(msgs), lambda i: msgs[i], ids.get, params, f"/{conv['id']}/messages", query)
    return [message(ctx, m, fields if fields is not None else parse("id,created_time")) for m in items], paging


def messages_edge(ctx: Ctx, conv: dict[str, Any]) -> dict[str, Any]:
    """GET /{conversation-id}/messages."""
    require_messaging(ctx)
    p = ctx.params
    query = {k: v for k, v in p.items() if k != "access_token"}
    items, paging = messages_page(ctx, conv, p, parse(p["fields"]) if "fields" in p else None, query)
    return {"data": items, "paging": paging} if paging else {"data": items}


def read_conversation(ctx: Ctx, conv: dict[str, Any], fields: Fields) -> dict[str, Any]:
    """GET /{conversation-id}."""
    require_messaging(ctx)
    return conversation(ctx, conv, fields)


def read_message(ctx: Ctx, msg: dict[str, Any], fields: Fields) -> dict[str, Any]:
    """GET /{message-id}."""
    require_messaging(ctx)
    return message(ctx, msg, fields if fields is not None else parse("id,created_time"))


PERSON_FIELDS = {"id", "name", "username", "profile_pic", "follower_count", "is_verified_user"}


def read_person(ctx: Ctx, conv: dict[str, Any], fields: Fields) -> dict[str, Any]:
    """GET /{igsid}: the Instagram User Profile API, for a person who messaged the account."""
    require_messaging(ctx)
    igsid = conv["igsid"]
    values = {
        "id": igsid,
        "name": conv["username"].replace(".", " ").title(),
        "username": conv["username"],
        # Meta's profile_pic is a CDN URL that expires in a few days; the sandbox's never does.
        "profile_pic": f"{ctx.req.base}/scontent.cdninstagram.com/v/{igsid}.jpg",
        "follower_count": int(igsid[-3:] or 0),
        "is_verified_user": False,
    }
    return node(
        igsid, fields or parse("name,profile_pic"), "User", lambda n: values.get(n, MISSING), None, PERSON_FIELDS
    )


def message(ctx: Ctx, msg: dict[str, Any], fields: Fields) -> dict[str, Any]:
    st = ctx.state
    conv = st.conversations[msg["conversation"]]
    assert fields is not None

    def scalar(name: str) -> Any:
        if name == "id":
            return msg["id"]
        if name == "created_time":
            return insights.iso(msg["timestamp"])
        if name == "from":
            return _participant(ctx, conv, msg["from_account"])
        if name == "to":
            return {"data": [_participant(ctx, conv, not msg["from_account"])]}
        if name == "message":
            return msg["text"] or ""
        if name == "is_unsupported":
            return False
        if name == "attachments" and msg["attachments"]:
            return {"data": [_attachment(a) for a in msg["attachments"]]}
        if name == "reactions" and msg["reactions"]:
            grouped: dict[str, list[dict[str, str]]] = {}
            for r in msg["reactions"]:
                grouped.setdefault(r["reaction"], []).append(_participant(ctx, conv, False) | {"id": r["user"]})
            return {"data": [{"reaction": k, "users": v} for k, v in grouped.items()]}
        return MISSING

    return node(msg["id"], fields, "Message", scalar, None, MESSAGE_FIELDS)


def _attachment(a: dict[str, str]) -> dict[str, Any]:
    if a["type"] == "image":
        return {"image_data": {"url": a["url"], "preview_url": a["url"]}}
    if a["type"] == "video":
        return {"video_data": {"url": a["url"], "preview_url": a["url"]}}
    return {"file_url": a["url"]}
