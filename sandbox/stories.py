"""Stories as Meta keeps them: listed for 24 h, CDN URLs that expire, insights refused after expiry,
and the `story_insights` webhook sent about an hour after the story ends (docs/sandbox.md, "Stories").

The clock these rules read is the state's (`State.now()`), which `POST /_sandbox/clock` moves.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import traceback
from typing import Any

from . import META_APP_ID, data, publishing, webhooks
from .errors import no_object
from .state import State

LIFETIME = 86400
WEBHOOK_DELAY_MINUTES = 60  # Meta sends story_insights "at expiry"; observed about an hour later


def expires_at(story: dict[str, Any]) -> int:
    return int(story["timestamp"]) + LIFETIME


def is_expired(state: State, story: dict[str, Any]) -> bool:
    return story.get("media_product_type") == "STORY" and state.now() >= expires_at(story)


def refuse_if_expired(state: State, obj_id: str, obj: Any) -> None:
    """An expired story's node and its insights are gone for the API: Meta's unknown-object error."""
    if isinstance(obj, dict) and is_expired(state, obj):
        raise no_object(obj_id)


def url_expiry(state: State, story: dict[str, Any]) -> int:
    """When a story's CDN URL stops working: `story_url_minutes` after it was handed out when that
    is set (short-lived URLs), else with the story itself."""
    minutes = state.config.get("story_url_minutes")
    end = expires_at(story)
    return min(end, int(state.now() + float(minutes) * 60)) if minutes else end


def signed(state: State, url: str, story: dict[str, Any]) -> str:
    """The CDN URL with Instagram's `oe` (hex expiry) and `oh` (signature) parameters."""
    oe = format(url_expiry(state, story), "X")
    oh = "00_" + hashlib.sha256(f"{state.seed}:{url}:{oe}".encode()).hexdigest()[:40]
    return f"{url}?_nc_ht=scontent.cdninstagram.com&oh={oh}&oe={oe}"


def cdn_refusal(state: State, query: dict[str, str]) -> bytes | None:
    """Instagram's CDN answer to a signed URL past its `oe`: 403, text/plain "URL signature expired"."""
    oe = query.get("oe")
    try:
        expired = oe is not None and int(oe, 16) < state.now()
    except ValueError:
        expired = True
    return b"URL signature expired" if expired else None


def create(state: State, body: dict[str, Any]) -> dict[str, Any]:
    """Control: the account posts a story `age_minutes` ago (sandbox clock) with these lifetime counts."""
    acct = state.account(body.get("account") or "ifma.saoluis")
    if acct is None:
        raise ValueError("unknown account")
    media_type = str(body.get("media_type") or "IMAGE").upper()
    if media_type not in ("IMAGE", "VIDEO"):
        raise ValueError("media_type must be IMAGE or VIDEO")
    mid = state.new_id("189")
    posted = int(state.now() - float(body.get("age_minutes") or 0) * 60)
    story = publishing._media(mid, acct, media_type, "STORY", posted, "", "published")
    story["metrics"].update({str(k): int(v) for k, v in dict(body.get("metrics") or {}).items()})
    state.published[mid] = story
    state.published_stories.setdefault(acct.no, []).append(mid)
    return {"id": mid, "timestamp": posted, "expires_at": expires_at(story), "account": acct.id}


def _facebook_login(state: State, account_no: int) -> bool:
    """story_insights is a Facebook Login webhook: only accounts granted through a Page get it."""
    return any(g.login == "facebook" and g.account_no == account_no and not g.revoked for g in state.grants.values())


def _callback(state: State) -> str | None:
    entry = state.app_subscriptions.get(META_APP_ID, {}).get("instagram")
    if entry and entry.get("active") and "story_insights" in entry.get("fields", []) and entry.get("callback_url"):
        return str(entry["callback_url"])
    return None


def due(state: State) -> list[tuple[str, dict[str, Any]]]:
    """(account id, story) of the stories whose story_insights webhook is due and not yet sent."""
    delay = float(state.config.get("story_insights_delay_minutes", WEBHOOK_DELAY_MINUTES)) * 60
    sent: set[str] = state.__dict__.setdefault("story_webhooks_sent", set())
    found = []
    for acct in state.accounts.values():
        if not _facebook_login(state, acct.no):
            continue
        items = [state.published[i] for i in state.published_stories.get(acct.no, [])]
        items += [data.story(acct, i) for i in range(acct.stories)]
        for story in items:
            if story["id"] not in sent and state.now() >= expires_at(story) + delay:
                found.append((acct.id, story))
    return found


_sending = threading.Lock()


def send_due(state: State) -> list[dict[str, Any]]:
    """Send every due story_insights webhook to the app's subscribed callback, once each."""
    with _sending:
        with state.lock:
            target = _callback(state)
            stories = due(state) if target else []
            state.__dict__.setdefault("story_webhooks_sent", set()).update(story["id"] for _, story in stories)
        results = []
        for account_id, story in stories:
            answer = webhooks.send(
                state, {"target": target, "event": "story_insights", "account": account_id, "media_id": story["id"]}
            )
            results.append({"media_id": story["id"], "status": answer["status"]})
        return results


def move_clock(state: State, body: dict[str, Any]) -> dict[str, Any]:
    """Control: `advance_minutes` moves the clock on; `offset_seconds` sets it (0: real time again)."""
    with state.lock:
        if "offset_seconds" in body:
            state.clock_offset = float(body["offset_seconds"])
        state.clock_offset += float(body.get("advance_minutes") or 0) * 60
        answer = {"now": int(state.now()), "offset_seconds": state.clock_offset}
    return {**answer, "story_insights_sent": send_due(state)}


def ticker(state: State, every: float = 30.0) -> threading.Thread:
    """A thread sending due story_insights webhooks as time passes (as Meta does, unasked)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                send_due(state)
            except Exception:  # noqa: BLE001 - an unreachable callback must not stop the ticker
                traceback.print_exc(file=sys.stderr)

    thread = threading.Thread(target=loop, name="story-insights-ticker", daemon=True)
    thread.start()
    return thread
