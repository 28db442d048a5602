"""The app's own webhook configuration: `/{app-id}/subscriptions` (Graph) and its control switches.

Shapes from Meta's reference (docs/sandbox.md, "App webhook subscriptions"): GET answers
`{"data": [{"object", "callback_url", "active", "fields": [{"name", "version"}]}]}`, POST
`{"success": true}`. Only an app access token of the same app may read or change them.
"""

from __future__ import annotations

from typing import Any

from . import META_APP_ID
from .context import Ctx
from .errors import GraphError, missing_param
from .state import State
from .web import Request, Response, json_response

FIELD_VERSION = "v25.0"


def _require_app_token(ctx: Ctx, app_id: str) -> None:
    if ctx.app_token != app_id:
        raise GraphError(15, "(#15) This method must be called with an app access_token.")


def _fields(raw: str | list[str] | None) -> list[str]:
    if isinstance(raw, list):
        return [str(f).strip() for f in raw if str(f).strip()]
    return [f.strip() for f in (raw or "").strip("[]").replace('"', "").split(",") if f.strip()]


def _render(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": entry["object"],
        "callback_url": entry["callback_url"],
        "active": entry["active"],
        "fields": [{"name": name, "version": FIELD_VERSION} for name in entry["fields"]],
    }


def subscriptions(ctx: Ctx, app_id: str) -> dict[str, Any]:
    """GET, POST and DELETE /{app-id}/subscriptions, as Meta answers them."""
    _require_app_token(ctx, app_id)
    table: dict[str, dict[str, Any]] = ctx.state.app_subscriptions.setdefault(app_id, {})
    p, method = ctx.params, ctx.req.method
    if method == "GET":
        return {"data": [_render(entry) for entry in table.values()]}
    obj = p.get("object")
    if not obj:
        raise missing_param("object")
    if method == "DELETE":
        entry = table.get(obj)
        drop = _fields(p.get("fields"))
        if entry is not None and drop:
            entry["fields"] = [f for f in entry["fields"] if f not in drop]
        else:
            table.pop(obj, None)
        return {"success": True}
    return _subscribe(table, obj, p)


def _subscribe(table: dict[str, dict[str, Any]], obj: str, p: dict[str, str]) -> dict[str, Any]:
    entry = table.get(obj)
    if entry is None and not p.get("callback_url"):
        raise missing_param("callback_url")
    if obj not in ("instagram", "page", "user", "permissions", "application", "whatsapp_business_account"):
        raise GraphError(100, "(#100) Param object must be one of {user, page, permissions, application, instagram}")
    entry = entry or {"object": obj, "callback_url": "", "active": True, "fields": []}
    entry["callback_url"] = p.get("callback_url") or entry["callback_url"]
    # Meta adds the fields named to the object's subscription and (re)activates it.
    entry["fields"] += [f for f in _fields(p.get("fields")) if f not in entry["fields"]]
    entry["active"] = True
    table[obj] = entry
    return {"success": True}


def control(state: State, req: Request, body: dict[str, Any]) -> Response:
    """`/_sandbox/app/subscriptions`: read, or set (partly) how the app's webhooks are configured,
    including what the Graph API cannot do (an inactive subscription, fields replaced)."""
    app_id = str(body.get("app_id") or req.query.get("app_id") or META_APP_ID)
    table: dict[str, dict[str, Any]] = state.app_subscriptions.setdefault(app_id, {})
    if req.method == "GET":
        return json_response({"data": [_render(entry) for entry in table.values()]})
    if req.method == "DELETE":
        table.clear()
        return json_response({"success": True})
    obj = str(body.get("object") or "")
    if not obj:
        raise ValueError("object is required")
    entry = table.setdefault(obj, {"object": obj, "callback_url": "", "active": True, "fields": []})
    if "callback_url" in body:
        entry["callback_url"] = str(body["callback_url"])
    if "active" in body:
        entry["active"] = bool(body["active"])
    if "fields" in body:
        entry["fields"] = _fields(body["fields"])
    return json_response(_render(entry))
