"""All mutable sandbox state, behind one re-entrant lock."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import FB_USER_ID, PAGE_ID, data, discovery
from .failures import QUIRKS_DEFAULTS, Failures
from .usage import Usage

IG_SCOPES = [
    "instagram_business_basic",
    "instagram_business_manage_insights",
    "instagram_business_manage_comments",
    "instagram_business_content_publish",
    "instagram_business_manage_messages",
]
FB_SCOPES = [
    "instagram_basic",
    "instagram_manage_insights",
    "instagram_manage_comments",
    "instagram_content_publish",
    "instagram_manage_messages",
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_metadata",
    "pages_manage_posts",
    "read_insights",
    "business_management",
]
LONG = 60 * 86400


@dataclass
class Grant:
    id: str
    login: str  # "instagram" | "facebook"
    user_id: str  # IG app-scoped id, or the Facebook user id
    account_no: int  # the IG account granted (Facebook: the Page's linked account)
    scopes: list[str]
    created_at: float
    revoked: bool = False
    page_tokens: dict[str, str] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "login": self.login,
            "scopes": self.scopes,
            "revoked": self.revoked,
            "id": self.id,
        }


@dataclass
class Token:
    token: str
    login: str
    type: str  # USER | PAGE
    grant_id: str
    subject: str  # IG app-scoped id / Facebook user id / page id
    account_no: int
    scopes: list[str]
    issued_at: float
    expires_at: float  # 0 = never

    @property
    def long_lived(self) -> bool:
        return self.expires_at == 0 or self.expires_at - self.issued_at > 86400


class State:
    def __init__(self, seed: int = 42) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.clock_offset = 0.0  # POST /_sandbox/clock moves Meta's time on (sandbox/stories.py)
            self.story_webhooks_sent: set[str] = set()
            self.anchor = int(time.time())
            self.accounts: dict[int, data.Account] = {a.no: a for a in data.seeded_accounts(self.seed, self.anchor)}
            self.tokens: dict[str, Token] = {}
            self.grants: dict[str, Grant] = {}
            self.codes: dict[str, dict[str, Any]] = {}
            self.comment_flags: dict[str, dict[str, bool]] = {}  # id -> {"hidden","deleted"}
            self.added_comments: dict[str, dict[str, Any]] = {}
            self.added_by_media: dict[str, list[str]] = {}
            self.published: dict[str, dict[str, Any]] = {}  # IG media published via the API
            self.published_feed: dict[int, list[str]] = {}  # account no -> ids, oldest first
            self.published_stories: dict[int, list[str]] = {}
            self.containers: dict[str, dict[str, Any]] = {}
            self.page_photos: dict[str, dict[str, Any]] = {}
            self.page_videos: dict[str, dict[str, Any]] = {}
            self.page_stories: list[dict[str, Any]] = []
            self.subscriptions: dict[str, list[str]] = {}
            self.app_subscriptions: dict[str, dict[str, dict[str, Any]]] = {}  # app id -> object -> entry
            self.comment_enabled: dict[str, bool] = {}
            self.conversations: dict[str, dict[str, Any]] = {}  # id -> conversation
            self.messages: dict[str, dict[str, Any]] = {}  # id -> message
            self.config: dict[str, Any] = {
                "ig_code_exchange_shape": "flat",
                "container_polls": 2,
                "publish_quota": 100,
                **QUIRKS_DEFAULTS,
            }
            self.usage = Usage()
            self.failures = Failures()
            self._ids = itertools.count(1)
            for acct in self.accounts.values():
                self.seed_conversations(acct)
            discovery.seed(self)

    # ------------------------------------------------------------ ids and time
    def now(self) -> float:
        return time.time() + self.clock_offset

    def new_id(self, prefix: str, width: int = 15) -> str:
        return f"{prefix}{next(self._ids):0{width}d}"

    # ------------------------------------------------------------ accounts
    def account(self, key: str | int | None) -> data.Account | None:
        if key is None:
            return None
        key = str(key)
        for acct in self.accounts.values():
            if key in (acct.id, acct.username, acct.app_scoped_id, str(acct.no)):
                return acct
        return None

    def add_account(self, username: str, media: int, seed: int | None, comments_per_media: int | None) -> data.Account:
        no = max(self.accounts) + 1
        acct = data.make_account(
            no,
            username,
            username,
            "São Luís",
            media,
            self.seed if seed is None else seed,
            int(self.now()),
            comments_per_media,
        )
        self.accounts[no] = acct
        return acct

    def account_keys(self, acct: data.Account) -> set[str]:
        keys = {acct.id, acct.username, acct.app_scoped_id}
        if acct.no == 1:
            keys |= {PAGE_ID, FB_USER_ID}
        return keys

    def account_summary(self, acct: data.Account) -> dict[str, Any]:
        return {
            "id": acct.id,
            "username": acct.username,
            "name": acct.name,
            "kind": "instagram",
            "media_count": self.feed_len(acct),
            "page_id": PAGE_ID if acct.no == 1 else None,
            "ig_user_id": acct.id,
            "app_scoped_id": acct.app_scoped_id,
            "followers_count": acct.followers,
        }

    # ------------------------------------------------------------ tokens and grants
    def new_grant(
        self, login: str, acct: data.Account, scopes: list[str] | None, created_at: float | None = None
    ) -> Grant:
        default = IG_SCOPES if login == "instagram" else FB_SCOPES
        gid = secrets.token_hex(6)
        grant = Grant(
            id=gid,
            login=login,
            user_id=acct.app_scoped_id if login == "instagram" else FB_USER_ID,
            account_no=acct.no,
            scopes=list(scopes or default),
            created_at=self.now() if created_at is None else created_at,
        )
        self.grants[gid] = grant
        return grant

    def mint(
        self,
        grant: Grant,
        lifetime: float,
        issued_at: float | None = None,
        kind: str = "USER",
        subject: str | None = None,
    ) -> Token:
        issued = self.now() if issued_at is None else issued_at
        prefix = "IGAA" if grant.login == "instagram" else "EAA"
        value = prefix + secrets.token_urlsafe(48).replace("-", "x").replace("_", "Z")
        tok = Token(
            token=value,
            login=grant.login,
            type=kind,
            grant_id=grant.id,
            subject=subject or grant.user_id,
            account_no=grant.account_no,
            scopes=grant.scopes,
            issued_at=issued,
            expires_at=0 if lifetime == 0 else issued + lifetime,
        )
        self.tokens[value] = tok
        return tok

    def page_token(self, user_token: Token) -> Token:
        grant = self.grants[user_token.grant_id]
        existing = grant.page_tokens.get(PAGE_ID)
        if existing and existing in self.tokens:
            tok = self.tokens[existing]
            if user_token.long_lived and tok.expires_at:
                tok.expires_at = 0
            return tok
        lifetime = 0 if user_token.long_lived else max(user_token.expires_at - self.now(), 1)
        tok = self.mint(grant, lifetime, kind="PAGE", subject=PAGE_ID)
        grant.page_tokens[PAGE_ID] = tok.token
        return tok

    # ------------------------------------------------------------ media
    def feed_len(self, acct: data.Account) -> int:
        return acct.generated + len(self.published_feed.get(acct.no, []))

    def feed_at(self, acct: data.Account, pos: int) -> dict[str, Any]:
        """Media at `pos` in the account's feed, newest first (published ones come first)."""
        pub = self.published_feed.get(acct.no, [])
        if pos < len(pub):
            return self.published[pub[len(pub) - 1 - pos]]
        return data.feed_media(acct, pos - len(pub))

    def feed_timestamp(self, acct: data.Account, pos: int) -> int:
        pub = self.published_feed.get(acct.no, [])
        if pos < len(pub):
            return int(self.published[pub[len(pub) - 1 - pos]]["timestamp"])
        return data.media_timestamp(acct, pos - len(pub))

    def feed_position(self, acct: data.Account, media_id: str) -> int | None:
        pub = self.published_feed.get(acct.no, [])
        if media_id in pub:
            return len(pub) - 1 - pub.index(media_id)
        parsed = data.parse_generated(media_id)
        if parsed and parsed[0] == "media" and parsed[1] == acct.no:
            return len(pub) + parsed[2]
        return None

    def live_stories(self, acct: data.Account) -> list[dict[str, Any]]:
        cutoff = self.now() - 86400
        items = [self.published[i] for i in self.published_stories.get(acct.no, [])]
        items += [data.story(acct, i) for i in range(acct.stories)]
        items = [m for m in items if m["timestamp"] > cutoff]
        return sorted(items, key=lambda m: -m["timestamp"])

    def media(self, media_id: str) -> dict[str, Any] | None:
        if media_id in self.published:
            return self.published[media_id]
        parsed = data.parse_generated(media_id)
        if not parsed:
            return None
        kind, no, idx, sub, _ = parsed
        acct = self.accounts.get(no)
        if acct is None:
            return None
        if kind == "media" and idx < acct.generated:
            return data.feed_media(acct, idx)
        if kind == "story" and idx < acct.stories:
            return data.story(acct, idx)
        if kind == "child" and idx < acct.generated:
            return data.child(acct, idx, sub)
        return None

    # ------------------------------------------------------------ comments
    def _flagged(self, c: dict[str, Any]) -> dict[str, Any] | None:
        flags = self.comment_flags.get(c["id"], {})
        if flags.get("deleted"):
            return None
        if "hidden" in flags:
            c = dict(c, hidden=flags["hidden"])
        return c

    def all_comments(self, media: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        acct = self.accounts.get(media["account"])
        if acct and media.get("comment_plan"):
            out = data.generated_comments(acct, media)
        out += [self.added_comments[i] for i in self.added_by_media.get(media["id"], [])]
        kept = [c for c in (self._flagged(c) for c in out) if c is not None]
        alive = {c["id"] for c in kept}
        return [c for c in kept if c["parent_id"] is None or c["parent_id"] in alive]

    def comments_count(self, media: dict[str, Any]) -> int:
        if not self.comment_flags and not self.added_by_media.get(media["id"]):
            return sum(1 + n for n in media.get("comment_plan", []))
        return len(self.all_comments(media))

    def comment(self, comment_id: str) -> dict[str, Any] | None:
        if comment_id in self.added_comments:
            return self._flagged(self.added_comments[comment_id])
        parsed = data.parse_generated(comment_id)
        if not parsed or parsed[0] != "comment":
            return None
        _, no, idx, top, rep = parsed
        media = self.media(data.media_id(no, idx))
        if media is None or top >= len(media["comment_plan"]):
            return None
        if rep > media["comment_plan"][top]:
            return None
        for c in self.all_comments(media):
            if c["id"] == comment_id:
                return c
        return None

    def add_comment(
        self,
        media: dict[str, Any],
        text: str,
        username: str | None = None,
        from_id: str | None = None,
        parent_id: str | None = None,
        age_seconds: float = 0,
    ) -> dict[str, Any]:
        cid = self.new_id("178")
        r = data.rng(cid)
        uid, uname = data.commenter(r)
        c = {
            "id": cid,
            "text": text,
            "timestamp": int(self.now() - age_seconds),
            "from_id": from_id or uid,
            "username": username or uname,
            "like_count": 0,
            "parent_id": parent_id,
            "media_id": media["id"],
            "hidden": False,
        }
        self.added_comments[cid] = c
        self.added_by_media.setdefault(media["id"], []).append(cid)
        return c

    # ------------------------------------------------------------ direct messages
    def seed_conversations(self, acct: data.Account) -> None:
        for k, conv in enumerate(data.seeded_conversations(acct)):
            for i, (ts, from_account, text) in enumerate(conv["messages"]):
                mid = f"{data.MESSAGE_PREFIX}S{acct.no:03d}{k:03d}{i:03d}"
                self.add_message(acct, conv["igsid"], text, from_account, ts, mid, conv["username"], source="seed")

    def conversation(self, acct: data.Account, igsid: str, username: str | None = None) -> dict[str, Any]:
        """The conversation between `acct` and `igsid`, created on first use."""
        cid = data.conversation_id(acct, igsid)
        conv = self.conversations.get(cid)
        if conv is None:
            conv = {
                "id": cid,
                "account": acct.no,
                "igsid": igsid,
                "username": username or data.commenter(data.rng("igsid", igsid))[1],
                "messages": [],  # ids, oldest first
                "read_at": None,  # when the user last read the thread (messaging_seen)
                "account_read_at": None,  # when the account marked it seen (sender_action=mark_seen)
            }
            self.conversations[cid] = conv
        return conv

    def add_message(
        self,
        acct: data.Account,
        igsid: str,
        text: str | None,
        from_account: bool,
        ts: float | None = None,
        mid: str | None = None,
        username: str | None = None,
        attachments: list[dict[str, str]] | None = None,
        source: str = "api",
    ) -> dict[str, Any]:
        conv = self.conversation(acct, igsid, username)
        mid = mid or data.MESSAGE_PREFIX + self.new_id("", 12)
        if mid in self.messages:  # a duplicate delivery of the same message
            return self.messages[mid]
        msg = {
            "id": mid,
            "conversation": conv["id"],
            "account": acct.no,
            "from_account": from_account,
            "text": text,
            "timestamp": round(self.now() if ts is None else ts, 3),
            "attachments": list(attachments or []),
            "reactions": [],
            "source": source,
        }
        self.messages[mid] = msg
        conv["messages"].append(mid)
        conv["messages"].sort(key=lambda i: self.messages[i]["timestamp"])
        return msg

    def conversation_messages(self, conv: dict[str, Any]) -> list[dict[str, Any]]:
        """Newest first."""
        return [self.messages[i] for i in reversed(conv["messages"])]

    def account_conversations(self, acct: data.Account) -> list[dict[str, Any]]:
        """Newest activity first."""
        convs = [c for c in self.conversations.values() if c["account"] == acct.no and c["messages"]]
        return sorted(convs, key=lambda c: -self.updated_at(c))

    def updated_at(self, conv: dict[str, Any]) -> float:
        return float(self.messages[conv["messages"][-1]]["timestamp"]) if conv["messages"] else 0.0

    def last_user_message_at(self, conv: dict[str, Any]) -> float | None:
        for mid in reversed(conv["messages"]):
            if not self.messages[mid]["from_account"]:
                return float(self.messages[mid]["timestamp"])
        return None

    def message_summary(self, msg: dict[str, Any]) -> dict[str, Any]:
        conv = self.conversations[msg["conversation"]]
        acct = self.accounts[msg["account"]]
        me, them = acct.id, conv["igsid"]
        return {
            "id": msg["id"],
            "from": me if msg["from_account"] else them,
            "to": them if msg["from_account"] else me,
            "text": msg["text"],
            "timestamp": msg["timestamp"],
            "is_echo": msg["from_account"],
            "attachments": msg["attachments"],
            "reactions": msg["reactions"],
            "source": msg["source"],
            "messaging_type": msg.get("messaging_type", ""),
            "tag": msg.get("tag", ""),
        }

    def conversation_summary(self, conv: dict[str, Any]) -> dict[str, Any]:
        acct = self.accounts[conv["account"]]
        last = self.last_user_message_at(conv)
        return {
            "id": conv["id"],
            "account": acct.id,
            "username": acct.username,
            "igsid": conv["igsid"],
            "user_username": conv["username"],
            "updated_time": self.updated_at(conv),
            "last_user_message_at": last,
            "window_open": last is not None and self.now() - last <= 86400,
            "human_agent_open": last is not None and self.now() - last <= 7 * 86400,
            "read_at": conv["read_at"],
            "messages": [self.message_summary(self.messages[i]) for i in conv["messages"]],
        }
