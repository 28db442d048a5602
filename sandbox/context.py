"""Per-request Graph context: the token, what it may reach, and object resolution."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any

from . import FB_USER_ID, INSTAGRAM_APP_ID, INSTAGRAM_APP_SECRET, META_APP_ID, META_APP_SECRET, PAGE_ID, data
from .errors import GraphError, cannot_parse, no_object, permission, token_required
from .failures import expired_error, revoked_error
from .state import State, Token
from .web import Request

VERSION = re.compile(r"^v\d+\.\d+$")
IG_HOST = "graph.instagram.com"
FB_HOST = "graph.facebook.com"


@dataclass
class Ctx:
    state: State
    req: Request
    version: str
    parts: list[str]  # path segments after the version
    params: dict[str, str]
    token_str: str | None = None
    token: Token | None = None
    app_token: str | None = None  # "appid" when an app token (id|secret) was sent
    business: tuple[str, str] | None = None  # (id, "instagram" | "pages") for BUC headers
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return self.req.host

    @property
    def ig_host(self) -> bool:
        return self.req.host == IG_HOST

    @property
    def fb_login(self) -> bool:
        return self.token is not None and self.token.login == "facebook"

    def path_url(self, path: str, query: dict[str, str]) -> str:
        """Absolute URL of a Graph path on this host and version, with the token added."""
        q = dict(query)
        if self.token_str and "access_token" not in q:
            q["access_token"] = self.token_str
        prefix = f"/{self.version}" if self.version else ""
        return self.req.url(prefix + path, q)

    def app_id(self) -> str:
        return INSTAGRAM_APP_ID if self.ig_host else META_APP_ID

    def require_scope(self, ig_scope: str, fb_scope: str) -> None:
        tok = self.token
        if tok is None:
            raise token_required()
        needed = ig_scope if tok.login == "instagram" else fb_scope
        if needed not in tok.scopes:
            raise permission(needed)


def token_from(req: Request, params: dict[str, str]) -> str | None:
    if params.get("access_token"):
        return params["access_token"]
    auth = req.headers.get("authorization", "")
    for scheme in ("Bearer ", "OAuth "):
        if auth.startswith(scheme):
            return auth[len(scheme) :].strip()
    return None


def is_app_token(value: str) -> str | None:
    """The app id if `value` is a valid "app-id|app-secret" token."""
    if value in (f"{META_APP_ID}|{META_APP_SECRET}", f"{INSTAGRAM_APP_ID}|{INSTAGRAM_APP_SECRET}"):
        return value.split("|", 1)[0]
    return None


def validate(state: State, tok: Token, host: str, now: float) -> GraphError | None:
    """The error this token gets on `host`, or None when it is usable."""
    if (tok.login == "instagram") != (host == IG_HOST):
        return cannot_parse()
    grant = state.grants.get(tok.grant_id)
    if grant is None or grant.revoked:
        return revoked_error(INSTAGRAM_APP_ID if tok.login == "instagram" else META_APP_ID)
    if tok.expires_at and tok.expires_at < now:
        return expired_error(tok.expires_at)
    return None


def authenticate(ctx: Ctx, required: bool = True) -> None:
    value = token_from(ctx.req, ctx.params)
    ctx.token_str = value
    if value is None:
        if required:
            raise token_required()
        return
    app = is_app_token(value)
    if app:
        ctx.app_token = app
        return
    tok = ctx.state.tokens.get(value)
    if tok is None:
        raise cannot_parse()
    err = validate(ctx.state, tok, ctx.host, ctx.state.now())
    if err:
        raise err
    ctx.token = tok


def failure_keys(ctx: Ctx) -> set[str]:
    keys: set[str] = set(ctx.parts[:1])
    if ctx.token:
        keys |= {ctx.token.subject, ctx.token.grant_id}
        acct = ctx.state.accounts.get(ctx.token.account_no)
        if acct:
            keys |= ctx.state.account_keys(acct)
    if ctx.parts:
        label = classify(ctx.state, ctx.parts[0])
        if label in ("{media-id}", "{comment-id}") and len(ctx.parts[0]) == 18:
            parsed = data.parse_generated(ctx.parts[0])
            acct = ctx.state.accounts.get(parsed[1]) if parsed else None
            if acct:
                keys |= ctx.state.account_keys(acct)
    return keys


def classify(state: State, segment: str) -> str:
    """The placeholder used in call-counter endpoint patterns."""
    if segment.startswith(data.CONVERSATION_PREFIX):
        return "{conversation-id}"
    if segment.startswith(data.MESSAGE_PREFIX):
        return "{message-id}"
    if segment.startswith(f"{PAGE_ID}_"):
        return "{post-id}"
    if segment == "me" or not segment.isdigit():
        return segment
    if segment == PAGE_ID:
        return "{page-id}"
    if segment == FB_USER_ID:
        return "{user-id}"
    if state.account(segment):
        return "{ig-user-id}"
    if any(conv["igsid"] == segment for conv in state.conversations.values()):
        return "{igsid}"  # a person who messaged an account (random digits: before the prefix guesses)
    prefix = segment[:3]
    if prefix in ("180", "181", "182", "183"):
        return "{media-id}"
    if prefix in ("178", "179"):
        return "{comment-id}"
    if prefix == "177":
        return "{container-id}"
    if segment.startswith("40"):
        return "{video-id}"
    if segment.startswith("30"):
        return "{photo-id}"
    return "{id}"


def encode_cursor(obj_id: str) -> str:
    return base64.urlsafe_b64encode(f"c:{obj_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    if not raw.startswith("c:"):
        raise GraphError(100, "(#100) The cursor is invalid")
    return raw[2:]


def allowed_accounts(ctx: Ctx) -> set[int]:
    return {ctx.token.account_no} if ctx.token else set()


def resolve(ctx: Ctx, node: str, method: str = "get") -> tuple[str, Any]:
    """(kind, object) for a path segment the token may reach; else Meta's code 100/33."""
    st, tok = ctx.state, ctx.token
    if tok is None:
        raise token_required()
    if node == "me":
        if tok.login == "instagram":
            acct = st.accounts[tok.account_no]
            ctx.business = (acct.id, "instagram")
            return "ig_me", acct
        if tok.type == "PAGE":
            ctx.business = (PAGE_ID, "pages")
            return "page", None
        return "fb_user", None
    acct = st.account(node) if node.isdigit() else None
    if acct and acct.no in allowed_accounts(ctx):
        if node == acct.app_scoped_id:
            if tok.login == "instagram":
                ctx.business = (acct.id, "instagram")
                return "ig_me", acct
        else:
            ctx.business = (acct.id, "instagram")
            return "ig_user", acct
    if tok.login == "facebook":
        if node == PAGE_ID:
            ctx.business = (PAGE_ID, "pages")
            return "page", None
        if node == FB_USER_ID:
            return "fb_user", None
        if node in st.page_photos:
            return "photo", st.page_photos[node]
        if node in st.page_videos:
            return "video", st.page_videos[node]
    media = st.media(node)
    if media and media["account"] in allowed_accounts(ctx):
        ctx.business = (st.accounts[media["account"]].id, "instagram")
        return "media", media
    comment = st.comment(node)
    if comment:
        owner = st.media(comment["media_id"])
        if owner and owner["account"] in allowed_accounts(ctx):
            ctx.business = (st.accounts[owner["account"]].id, "instagram")
            return "comment", comment
    container = st.containers.get(node)
    if container and container["account"] in allowed_accounts(ctx):
        return "container", container
    for kind, table in (("conversation", st.conversations), ("message", st.messages)):
        item = table.get(node)
        if item and item["account"] in allowed_accounts(ctx):
            ctx.business = (st.accounts[item["account"]].id, "instagram")
            return kind, item
    # An IGSID: a person who messaged one of the token's accounts (Meta asks for that consent).
    for conv in st.conversations.values():
        if conv["igsid"] == node and conv["account"] in allowed_accounts(ctx):
            ctx.business = (st.accounts[conv["account"]].id, "instagram")
            return "ig_person", conv
    raise no_object(node, method)
