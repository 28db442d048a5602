"""Webhook sender: Meta-shaped, signed deliveries. Also a CLI: python -m sandbox.webhooks."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import random
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from . import INSTAGRAM_APP_SECRET, META_APP_SECRET, PAGE_ID, PAGE_NAME, WEBHOOK_VERIFY_TOKEN, data
from .state import State

EVENTS = (
    "comments",
    "live_comments",
    "mentions",
    "story_insights",
    "messages",
    "message_reactions",
    "messaging_seen",
    "feed",
)
META_SIGNED = {"mentions", "story_insights", "feed"}


def secret_for(event: str, choice: str | None) -> str:
    if choice == "meta":
        return META_APP_SECRET
    if choice == "instagram":
        return INSTAGRAM_APP_SECRET
    if choice:
        return choice
    return META_APP_SECRET if event in META_SIGNED else INSTAGRAM_APP_SECRET


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _pick_media(state: State, acct: data.Account, spec: dict[str, Any], r: random.Random) -> dict[str, Any]:
    if spec.get("media_id"):
        media = state.media(str(spec["media_id"]))
        if media is None:
            raise ValueError(f"unknown media_id {spec['media_id']}")
        return media
    return state.feed_at(acct, r.randrange(min(20, state.feed_len(acct))))


def _entry(
    state: State, acct: data.Account, event: str, spec: dict[str, Any], i: int, r: random.Random
) -> tuple[dict[str, Any], str]:
    now = int(state.now())
    text = spec.get("text") or r.choice(data.COMMENTS)
    uid, uname = data.commenter(r)
    if event in ("comments", "live_comments"):
        if event == "comments":
            media = _pick_media(state, acct, spec, r)
            parent = spec.get("parent_id")
            c = state.add_comment(media, text, uname, uid, str(parent) if parent else None)
            cid, mid, product = c["id"], media["id"], media["media_product_type"]
        else:
            cid, mid, product = state.new_id("178"), spec.get("media_id") or state.new_id("185"), "LIVE"
        value: dict[str, Any] = {
            "id": cid,
            "from": {"id": uid, "username": uname},
            "text": text,
            "media": {"id": str(mid), "media_product_type": product},
        }
        if event == "comments" and spec.get("parent_id"):
            value["parent_id"] = str(spec["parent_id"])
        if spec.get("shape", "flat") == "changes":
            return {"id": acct.id, "time": now, "changes": [{"field": event, "value": value}]}, cid
        return {"id": acct.id, "time": now, "field": event, "value": value}, cid
    if event == "mentions":
        mid = str(spec.get("media_id") or state.new_id("186"))
        value = {"media_id": mid}
        if spec.get("in_comment"):
            value["comment_id"] = state.new_id("187")
        return {"id": acct.id, "time": now, "changes": [{"field": "mentions", "value": value}]}, mid
    if event == "story_insights":
        stories = state.live_stories(acct)
        story = state.media(str(spec["media_id"])) if spec.get("media_id") else None
        story = story or (stories[0] if stories else data.story(acct, 0))
        m = story["metrics"]
        counts = {
            "impressions": m["views"],
            "reach": m["reach"],
            "taps_forward": m["views"] // 2,
            "taps_back": m["views"] // 20,
            "exits": m["views"] // 10,
            "replies": m.get("replies", 0),
        }
        # Meta's privacy floor: a value under 5 is sent as -1 (story_insights webhook reference).
        value = {"media_id": story["id"], **{k: v if v >= 5 else -1 for k, v in counts.items()}}
        return {"id": acct.id, "time": now, "changes": [{"field": "story_insights", "value": value}]}, story["id"]
    if event in ("messages", "message_reactions", "messaging_seen"):
        return _messaging_entry(state, acct, event, spec, i, text, uid, uname)
    if event == "feed":
        post = state.new_id("7")
        cid = state.new_id("8")
        who = (
            {"id": PAGE_ID, "name": PAGE_NAME}
            if spec.get("from_page")
            else {"id": str(r.randint(10**15, 10**16 - 1)), "name": uname.replace(".", " ").title()}
        )
        value = {
            "item": spec.get("item", "comment"),
            "verb": spec.get("verb", "add"),
            "post_id": f"{PAGE_ID}_{post}",
            "comment_id": f"{post}_{cid}",
            "parent_id": f"{PAGE_ID}_{post}",
            "from": who,
            "created_time": now,
        }
        if value["verb"] != "remove":
            value["message"] = text
        return {"id": PAGE_ID, "time": now, "changes": [{"field": "feed", "value": value}]}, value["comment_id"]
    raise ValueError(f"event must be one of {', '.join(EVENTS)}")


def _messaging_entry(
    state: State, acct: data.Account, event: str, spec: dict[str, Any], i: int, text: str, uid: str, uname: str
) -> tuple[dict[str, Any], str]:
    """A `messaging[]` entry; the event is also recorded in the account's conversations."""
    ms = int(state.now() * 1000) + i
    sender_id = str(spec["sender_id"]) if spec.get("sender_id") else None
    if event == "messages":
        igsid = sender_id or uid
        echo = bool(spec.get("echo"))
        mid = str(spec.get("mid") or "") or None
        msg = state.add_message(acct, igsid, text, echo, ms / 1000, mid, None if sender_id else uname, source="webhook")
        mid = msg["id"]
    else:
        target = _target_message(state, acct, spec.get("mid"), sender_id)
        if target is not None:
            mid, igsid = target["id"], state.conversations[target["conversation"]]["igsid"]
            conv = state.conversations[target["conversation"]]
            if event == "message_reactions":
                target["reactions"] = [r for r in target["reactions"] if r["user"] != igsid]
                if spec.get("action", "react") == "react":
                    target["reactions"].append({"reaction": "love", "emoji": "\u2764\ufe0f", "user": igsid})
            else:
                conv["read_at"] = ms / 1000
        else:
            mid = str(spec.get("mid") or data.MESSAGE_PREFIX + state.new_id("", 12))
            igsid = sender_id or uid
    sender, recipient = {"id": igsid}, {"id": acct.id}
    item: dict[str, Any] = {"sender": sender, "recipient": recipient, "timestamp": ms}
    if event == "messages":
        item["message"] = {"mid": mid, "text": text}
        if spec.get("echo"):
            item["sender"], item["recipient"] = recipient, sender
            item["message"]["is_echo"] = True
    elif event == "message_reactions":
        item["reaction"] = {
            "mid": mid,
            "action": spec.get("action", "react"),
            "reaction": "love",
            "emoji": "\u2764\ufe0f",
        }
    else:
        item["read"] = {"mid": mid}
    return {"id": acct.id, "time": ms, "messaging": [item]}, mid


def _target_message(state: State, acct: data.Account, mid: Any, sender_id: str | None) -> dict[str, Any] | None:
    """The message a reaction or read refers to: `mid`, else the newest one of the sender's
    conversation (or of the account's most recent conversation)."""
    if mid:
        msg = state.messages.get(str(mid))
        return msg if msg is not None and msg["account"] == acct.no else None
    convs = state.account_conversations(acct)
    if sender_id:
        convs = [c for c in convs if c["igsid"] == sender_id]
    return state.messages[convs[0]["messages"][-1]] if convs else None


def build(state: State, spec: dict[str, Any]) -> tuple[bytes, list[str]]:
    """The exact body bytes of one delivery and the ids of the events in it."""
    event = spec.get("event", "")
    if event not in EVENTS:
        raise ValueError(f"event must be one of {', '.join(EVENTS)}")
    with state.lock:
        acct = state.account(spec.get("account") or "ifma.saoluis")
        if acct is None:
            raise ValueError(f"unknown account {spec.get('account')!r}")
        r = random.Random(spec.get("seed", time.time_ns()))
        entries, ids = [], []
        for i in range(max(1, int(spec.get("count", 1)))):
            entry, obj_id = _entry(state, acct, event, spec, i, r)
            entries.append(entry)
            ids.append(obj_id)
    for entry in entries:
        _variant(entry, spec)
    payload = {"object": "page" if event == "feed" else "instagram", "entry": entries}
    body = json.dumps(payload, separators=(",", ":")).encode()
    return (malform(body, spec["malformed"]) if spec.get("malformed") else body), ids


def _variant(entry: dict[str, Any], spec: dict[str, Any]) -> None:
    """`standby`: the messaging items arrive in `standby[]`, as Meta sends them while another app
    owns the conversation (handover protocol). `test`: the app dashboard's "Test" button, which
    names entry id "0" and stamps `time` in milliseconds."""
    if spec.get("standby"):
        if "messaging" not in entry:
            raise ValueError("standby applies to the messaging events only")
        entry["standby"] = entry.pop("messaging")
    if spec.get("test"):
        entry["id"] = "0"
        entry["time"] = int(time.time() * 1000)


# Bodies a fuzzer (or a broken proxy) makes of a real delivery; signed like any other. The two
# text escapes are real: Instagram comments and DMs carry whatever the person typed.
MALFORMED: dict[str, Any] = {
    "deep": lambda body: b'{"object":"instagram","entry":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "huge_int": lambda body: re.sub(rb'"time":\d+', b'"time":' + b"9" * 5000, body, count=1),
    "nan": lambda body: re.sub(rb'"time":\d+', b'"time":NaN', body, count=1),
    "infinity": lambda body: re.sub(rb'"time":\d+', b'"time":Infinity', body, count=1),
    "time_1e308": lambda body: re.sub(rb'"time":\d+', b'"time":1e308', body, count=1),
    "nul_text": lambda body: body.replace(b'"text":"', b'"text":"\\u0000', 1),
    "lone_surrogate": lambda body: body.replace(b'"text":"', b'"text":"\\ud800', 1),
    "nul_byte": lambda body: body[:-1] + b"\x00}",
    "not_utf8": lambda body: body.replace(b'"text":"', b'"text":"\xff\xfe', 1),
}


def malform(body: bytes, how: str) -> bytes:
    if how not in MALFORMED:
        raise ValueError(f"malformed must be one of {', '.join(MALFORMED)}")
    return MALFORMED[how](body)


def _open(req: urllib.request.Request | str, timeout: float) -> Any:
    """urlopen, for http(s) URLs only."""
    url = req if isinstance(req, str) else req.full_url
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - scheme checked above


def deliver(target: str, body: bytes, secret: str) -> int:
    sha1 = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "facebookexternalua",
        "X-Hub-Signature-256": sign(body, secret),
        "X-Hub-Signature": sha1,
    }
    req = urllib.request.Request(target, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with _open(req, 20) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def send(state: State, spec: dict[str, Any]) -> dict[str, Any]:
    target = spec.get("target")
    if not target:
        raise ValueError("target is required")
    body, ids = build(state, spec)
    secret = secret_for(spec["event"], spec.get("secret"))
    statuses = [deliver(target, body, secret) for _ in range(1 + int(spec.get("duplicates", 0)))]
    return {
        "status": statuses[0],
        "statuses": statuses,
        "sent": len(statuses),
        "ids": ids,
        "signature": sign(body, secret),
        "body": body.decode("utf-8", errors="backslashreplace"),
    }


def verify(spec: dict[str, Any]) -> dict[str, Any]:
    """Meta's subscription handshake against `target`."""
    challenge = str(random.randint(10**9, 2 * 10**9))
    query = urllib.parse.urlencode(
        {
            "hub.mode": "subscribe",
            "hub.challenge": challenge,
            "hub.verify_token": spec.get("verify_token", WEBHOOK_VERIFY_TOKEN),
        }
    )
    target = str(spec["target"])
    url = f"{target}{'&' if '?' in target else '?'}{query}"
    try:
        with _open(url, 20) as resp:
            status, text = int(resp.status), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, text = int(exc.code), ""
    except (urllib.error.URLError, OSError):
        status, text = 0, ""
    return {"status": status, "ok": status == 200 and text.strip() == challenge, "challenge": challenge}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sandbox.webhooks", description="Send a signed Meta-shaped webhook delivery."
    )
    ap.add_argument("--target", required=True)
    ap.add_argument("--event", required=True, choices=EVENTS)
    ap.add_argument("--account", default="ifma.saoluis")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--duplicates", type=int, default=0)
    ap.add_argument("--shape", choices=("flat", "changes"), default="flat")
    ap.add_argument("--secret", help="meta, instagram, or a literal secret")
    ap.add_argument("--text")
    ap.add_argument("--media-id")
    ap.add_argument("--parent-id")
    ap.add_argument("--verb", default="add")
    ap.add_argument("--from-page", action="store_true")
    ap.add_argument("--echo", action="store_true")
    ap.add_argument("--sender-id", help="messaging events: the user's IGSID")
    ap.add_argument("--mid", help="messaging events: the message id")
    ap.add_argument("--action", choices=("react", "unreact"), help="message_reactions")
    ap.add_argument(
        "--sandbox", help="URL of a running sandbox: send through it so new comments also appear in its Graph data"
    )
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args(argv)
    spec = {
        "target": a.target,
        "event": a.event,
        "account": a.account,
        "count": a.count,
        "duplicates": a.duplicates,
        "shape": a.shape,
        "secret": a.secret,
        "text": a.text,
        "media_id": a.media_id,
        "parent_id": a.parent_id,
        "verb": a.verb,
        "from_page": a.from_page,
        "echo": a.echo,
        "sender_id": a.sender_id,
        "mid": a.mid,
        "action": a.action,
    }
    spec = {k: v for k, v in spec.items() if v not in (None, False)}
    if a.sandbox:
        url = a.sandbox.rstrip("/") + "/_sandbox/webhooks/send"
        headers = {"Content-Type": "application/json"}
        req = urllib.request.Request(url, json.dumps(spec).encode(), headers, method="POST")  # noqa: S310
        with _open(req, 60) as resp:
            result = json.loads(resp.read())
    else:
        result = send(State(a.seed), spec)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if 200 <= int(result.get("status", 0)) < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
