"""The control API under /_sandbox/ (JSON; never counted as Graph calls)."""

from __future__ import annotations

import html
import json
from typing import Any

from . import PAGE_ID, PAGE_NAME, apps, callbacks, data, discovery, oauth, publishing, stories, webhooks
from .state import State
from .web import Request, Response, html_response, json_response


def _error(message: str, status: int = 400) -> Response:
    return json_response({"error": message}, status)


def handle(state: State, req: Request) -> Response:
    path = "/" + req.path.strip("/")
    body: dict[str, Any] = req.json if isinstance(req.json, dict) else dict(req.form)
    key = (req.method, path)
    try:
        if key == ("POST", "/webhooks/send"):  # sends outside the lock
            return json_response(webhooks.send(state, body))
        if key == ("POST", "/callbacks/send"):  # posts outside the lock, like the webhook sender
            return json_response(callbacks.send(state, body))
        if key == ("POST", "/clock"):  # may send due story_insights webhooks: outside the lock
            return json_response(stories.move_clock(state, body))
        if key == ("POST", "/story_insights/send_due"):
            return json_response({"sent": stories.send_due(state)})
        if key == ("POST", "/webhooks/verify"):
            return json_response(webhooks.verify(body))
        with state.lock:
            return _locked(state, req, key, body)
    except (ValueError, KeyError, TypeError) as exc:
        return _error(str(exc))


def _locked(state: State, req: Request, key: tuple[str, str], body: dict[str, Any]) -> Response:
    if key == ("GET", "/"):
        return html_response(dashboard(state))
    if key[1] == "/app/subscriptions":
        return apps.control(state, req, body)
    if key[1].startswith("/discovery"):
        return json_response(discovery.control(state, key[1], body))
    if key == ("POST", "/tags"):
        return json_response(discovery.add_tag(state, body), 201)
    if key == ("GET", "/accounts"):
        # The generated public accounts are listed by GET /_sandbox/discovery: nobody connects them.
        accounts = [state.account_summary(a) for a in state.accounts.values() if a.no not in state.discovery]
        page = {
            "id": PAGE_ID,
            "username": None,
            "name": PAGE_NAME,
            "kind": "page",
            "media_count": None,
            "page_id": PAGE_ID,
            "ig_user_id": state.accounts[1].id,
        }
        return json_response([*accounts[:1], page, *accounts[1:]])
    if key == ("POST", "/accounts"):
        username = str(body.get("username") or "")
        if not username or state.account(username):
            return _error("username is required and must be new")
        media = int(body.get("media", 0))
        if not 0 <= media <= 10**7 - 1:
            return _error("media must be between 0 and 9999999")
        cpm = body.get("comments_per_media")
        acct = state.add_account(username, media, body.get("seed"), None if cpm is None else min(int(cpm), 999))
        if body.get("followers") is not None:  # e.g. under Meta's 100-follower privacy floor
            acct.followers = max(0, int(body["followers"]))
        return json_response(state.account_summary(acct), 201)
    if key == ("POST", "/tokens"):
        return json_response(oauth.mint_for_control(state, body), 201)
    if key == ("GET", "/tokens"):
        return json_response(
            [
                {
                    "access_token": t.token,
                    "login": t.login,
                    "type": t.type,
                    "user_id": t.subject,
                    "issued_at": int(t.issued_at),
                    "expires_at": int(t.expires_at),
                    "grant": t.grant_id,
                }
                for t in state.tokens.values()
            ]
        )
    if key == ("GET", "/calls"):
        return json_response(state.usage.snapshot(req.query.get("token")))
    if key == ("POST", "/calls/reset"):
        state.usage.reset()
        return json_response({"success": True})
    if key == ("POST", "/failures"):
        acct = state.account(body.get("account")) if body.get("account") else None
        keys = state.account_keys(acct) if acct else {str(body.get("account"))}
        return json_response(state.failures.add(body, keys).public(), 201)
    if key == ("GET", "/failures"):
        return json_response([r.public() for r in state.failures.rules])
    if key == ("DELETE", "/failures"):
        state.failures.clear()
        return json_response({"success": True})
    if key == ("GET", "/grants"):
        return json_response([g.public() for g in state.grants.values()])
    if key == ("POST", "/comments"):
        media = state.media(str(body.get("media_id")))
        if media is None:
            return _error("unknown media_id")
        parent = body.get("parent_id")
        if parent and state.comment(str(parent)) is None:
            return _error("unknown parent_id")
        age_minutes = float(body.get("age_minutes") or 0)
        if age_minutes < 0:
            return _error("age_minutes must not be negative")
        c = state.add_comment(
            media,
            str(body.get("text") or "Comentário de teste"),
            body.get("username"),
            None,
            str(parent) if parent else None,
            age_minutes * 60,
        )
        return json_response(c, 201)
    if key == ("GET", "/messages"):
        return json_response(messages_summary(state, req.query.get("account")))
    if key == ("POST", "/messages"):
        return json_response(add_message(state, body), 201)
    if key == ("GET", "/clock"):
        return json_response({"now": int(state.now()), "offset_seconds": state.clock_offset})
    if key == ("POST", "/stories"):
        return json_response(stories.create(state, body), 201)
    if key == ("POST", "/story_insights"):
        return json_response(publishing.set_story_insights(state, body))
    if key == ("GET", "/published"):
        return json_response(publishing.published_summary(state))
    if key == ("POST", "/reset"):
        state.reset()
        return json_response({"success": True})
    if key == ("GET", "/config"):
        return json_response(state.config)
    if key == ("POST", "/config"):
        optional = {"container_ready_seconds", "story_url_minutes", "story_insights_delay_minutes"}
        unknown = set(body) - set(state.config) - optional
        if unknown:
            return _error(f"unknown config keys: {sorted(unknown)}")
        if body.get("ig_code_exchange_shape", "flat") not in ("flat", "wrapped"):
            return _error("ig_code_exchange_shape must be flat or wrapped")
        state.config.update(body)
        return json_response(state.config)
    return _error(f"unknown control call {key[0]} /_sandbox{key[1]}", 404)


def messages_summary(state: State, account: str | None) -> dict[str, Any]:
    """Conversations (newest activity first), each with its messages oldest first."""
    if account:
        acct = state.account(account)
        if acct is None:
            raise ValueError(f"unknown account {account!r}")
        accounts = [acct]
    else:
        accounts = list(state.accounts.values())
    convs = [state.conversation_summary(c) for a in accounts for c in state.account_conversations(a)]
    return {"conversations": convs, "total_messages": sum(len(c["messages"]) for c in convs)}


def add_message(state: State, body: dict[str, Any]) -> dict[str, Any]:
    """An inbound DM (or, with "echo", one sent by the account), as if it had happened
    `age_hours` ago; no webhook is sent."""
    acct = state.account(body.get("account") or "ifma.saoluis")
    if acct is None:
        raise ValueError(f"unknown account {body.get('account')!r}")
    sender = body.get("sender_id")
    if sender:
        igsid, username = str(sender), body.get("username")
    else:
        igsid, username = data.commenter(data.rng("control-dm", state.new_id("", 12)))
        username = body.get("username") or username
    ts = state.now() - float(body.get("age_hours", 0)) * 3600
    text = str(body.get("text") or "Olá! Gostaria de mais informações.")
    msg = state.add_message(acct, igsid, text, bool(body.get("echo")), ts, None, username, source="control")
    return dict(state.message_summary(msg), conversation_id=msg["conversation"])


def dashboard(state: State) -> str:
    rows = "".join(
        f"<tr><td>{a.id}</td><td>@{html.escape(a.username)}</td><td>{html.escape(a.name)}</td>"
        f"<td>{a.followers}</td><td>{state.feed_len(a)}</td></tr>"
        for a in state.accounts.values()
    )
    grants = "".join(
        f"<tr><td>{g.login}</td><td>{g.user_id}</td><td>{html.escape(', '.join(g.scopes))}</td>"
        f"<td>{'revoked' if g.revoked else 'active'}</td></tr>"
        for g in state.grants.values()
    )
    calls = html.escape(json.dumps(state.usage.snapshot()["by_endpoint"], indent=1))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Meta sandbox</title><style>body{{font-family:sans-serif;margin:2rem}}
td,th{{border:1px solid #ccc;padding:.2rem .5rem}}table{{border-collapse:collapse}}</style></head>
<body><h1>Meta sandbox</h1><p>Seed {state.seed}. Page {PAGE_ID} ({html.escape(PAGE_NAME)}).</p>
<h2>Accounts</h2><table><tr><th>id</th><th>username</th><th>name</th><th>followers</th>
<th>media</th></tr>{rows}</table>
<h2>Grants</h2><table><tr><th>login</th><th>user</th><th>scopes</th><th>state</th></tr>{grants}</table>
<h2>Calls ({state.usage.total})</h2><pre>{calls}</pre>
<h2>Failure rules</h2><pre>{html.escape(json.dumps([r.public() for r in state.failures.rules]))}</pre>
</body></html>"""
