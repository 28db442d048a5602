"""The go-live doctor: is what we set up at Meta what this project expects?

Plain Graph calls with typed results; `manage.py meta_doctor` (webhooks app) gathers the
expectations (the webhook dispatch table, the credentials and their accounts) and prints them.
Each check says what it saw and, when it fails, what to do about it. The reads ask exactly what
the collector asks: they go through meta.instagram's own functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from meta import account_insights as account
from meta import instagram
from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH, MetaConfig
from meta.doctor_report import Check, Expectations, Status, Target, UsageRecorder, fix_for
from meta.errors import MetaError
from meta.oauth import INSTAGRAM_SUBSCRIBED_FIELDS, PAGE_SUBSCRIBED_FIELDS

EXPIRY_WARNING = timedelta(days=7)
USAGE_WARNING, USAGE_LIMIT = 75.0, 100.0  # percent; Meta throttles at 100


# ---------------------------------------------------------------- the app


def check_app(config: MetaConfig, recorder: UsageRecorder) -> tuple[Check, GraphClient | None]:
    """META_APP_ID/META_APP_SECRET, through the client_credentials grant; the app client on success."""
    app_token = f"{config.app_id}|{config.app_secret}"
    client = GraphClient(app_token, host=FACEBOOK_GRAPH, config=config, governor=recorder)
    params = {"client_id": config.app_id, "client_secret": config.app_secret, "grant_type": "client_credentials"}
    try:
        body = client.get("oauth/access_token", params)
    except MetaError as exc:
        fix = "set META_APP_ID and META_APP_SECRET to the values under App settings → Basic of the Meta app"
        return Check("App credentials", Status.FAIL, f"Meta refused them: {exc}", fix), None
    token = str(body.get("access_token") or app_token)
    detail = f"app {config.app_id}: Meta issued an app access token"
    return Check("App credentials", Status.PASS, detail), GraphClient(
        token, host=FACEBOOK_GRAPH, config=config, governor=recorder
    )


def check_subscriptions(app: GraphClient, config: MetaConfig, expected: Expectations) -> list[Check]:
    """The app's webhook subscription per object: present, active, our callback, every handled field."""
    try:
        entries = app.get(f"{config.app_id}/subscriptions").get("data") or []
    except MetaError as exc:
        return [Check("Webhook subscriptions", Status.FAIL, f"could not read them: {exc}", fix_for(exc))]
    by_object = {str(entry.get("object")): entry for entry in entries}
    return [
        _subscription_check(obj, by_object.get(obj), fields, expected.callback_url, config.app_id)
        for obj, fields in sorted(expected.fields_by_object.items())
    ]


def _subscription_check(
    obj: str, entry: dict[str, Any] | None, wanted: frozenset[str], callback_url: str, app_id: str
) -> Check:
    name = f"Webhook subscription ({obj})"
    where = f"App Dashboard → Webhooks → {obj}, or POST /{app_id}/subscriptions with object={obj}"
    fields = ",".join(sorted(wanted))
    if entry is None:
        fix = f"subscribe: {where}, callback_url={callback_url}, fields={fields}"
        return Check(name, Status.FAIL, f"the app has no subscription for object {obj}", fix)
    problems = []
    if not entry.get("active"):
        problems.append("the subscription is inactive")
    if entry.get("callback_url") != callback_url:
        problems.append(f"callback_url is {entry.get('callback_url')!r}, expected {callback_url!r}")
    have = {str(f.get("name")) for f in entry.get("fields") or [] if isinstance(f, dict)}
    missing = sorted(wanted - have)
    if missing:
        problems.append(f"fields missing: {', '.join(missing)}")
    if problems:
        fix = f"{where}: callback_url={callback_url}, fields={fields}; verify and save it (active)"
        return Check(name, Status.FAIL, "; ".join(problems), fix)
    return Check(name, Status.PASS, f"active, callback {callback_url}, fields {', '.join(sorted(have))}")


# ---------------------------------------------------------------- each credential


def check_token(config: MetaConfig, target: Target, recorder: UsageRecorder) -> Check:
    """debug_token with the app token of the app that issued it: valid, scopes, expiry."""
    name = f"Token of {target.label}"
    app_id, secret = (
        (config.instagram_app_id, config.instagram_app_secret)
        if target.instagram_login
        else (config.app_id, config.app_secret)
    )
    client = GraphClient(f"{app_id}|{secret}", host=FACEBOOK_GRAPH, config=config, governor=recorder)
    try:
        data = client.get("debug_token", {"input_token": target.token}).get("data") or {}
    except MetaError as exc:
        setting = "INSTAGRAM_APP_ID/INSTAGRAM_APP_SECRET" if target.instagram_login else "META_APP_ID/META_APP_SECRET"
        return Check(name, Status.FAIL, f"debug_token failed: {exc}", f"check {setting}; {fix_for(exc)}", True)
    if not data.get("is_valid"):
        error = (data.get("error") or {}).get("message") or "Meta says the token is not valid"
        return Check(name, Status.FAIL, f"invalid: {error}", "reconnect the account on the Connections page", True)
    missing = [scope for scope in target.required_scopes if scope not in (data.get("scopes") or [])]
    if missing:
        fix = "reconnect and grant every permission asked (the Connections page asks for the missing ones again)"
        return Check(name, Status.FAIL, f"scopes not granted: {', '.join(missing)}", fix)
    return _expiry_check(name, int(data.get("expires_at") or 0))


def _expiry_check(name: str, expires_at: int) -> Check:
    if not expires_at:
        return Check(name, Status.PASS, "valid, every scope granted, never expires")
    left = timedelta(seconds=expires_at - time.time())
    when = datetime.fromtimestamp(expires_at, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    if left <= timedelta(0):
        return Check(name, Status.FAIL, f"expired on {when}", "reconnect the account on the Connections page", True)
    if left < EXPIRY_WARNING:
        return Check(name, Status.WARN, f"valid, expires on {when}", "renew it soon (Admin → Credentials → refresh)")
    return Check(name, Status.PASS, f"valid, every scope granted, expires on {when}")


def check_asset_subscribed(config: MetaConfig, target: Target, recorder: UsageRecorder) -> Check | None:
    """The Page (`/{page-id}/subscribed_apps`) or Instagram Login account (`/me/subscribed_apps`) has
    our app with the fields connecting subscribes; a Facebook user token has no asset of its own."""
    if target.kind == "fb_user":
        return None
    path, wanted = (
        ("me/subscribed_apps", INSTAGRAM_SUBSCRIBED_FIELDS)
        if target.instagram_login
        else (f"{target.subject_id}/subscribed_apps", PAGE_SUBSCRIBED_FIELDS)
    )
    name = f"Webhooks of {target.label}"
    fix = "Admin → Credentials → select it → “Subscribe to webhooks again”"
    client = GraphClient(target.token, host=target.host, config=config, governor=recorder)
    try:
        apps = client.get(path).get("data") or []
    except MetaError as exc:
        return Check(name, Status.FAIL, f"could not read {path}: {exc}", fix_for(exc))
    ours = {config.app_id, config.instagram_app_id}
    have = {str(f) for app in apps if str(app.get("id")) in ours for f in app.get("subscribed_fields") or []}
    missing = [f for f in wanted.split(",") if f not in have]
    if not have:
        return Check(name, Status.FAIL, "not subscribed to the app: no webhook will arrive for it", fix)
    if missing:
        return Check(name, Status.FAIL, f"subscribed without {', '.join(missing)}", fix)
    return Check(name, Status.PASS, f"subscribed to {', '.join(sorted(have))}")


def check_reads(config: MetaConfig, target: Target, ig_user_id: str, recorder: UsageRecorder) -> list[Check]:
    """One read per endpoint the collector uses, with the fields and metrics it asks for."""
    client = GraphClient(target.token, host=target.host, config=config, governor=recorder)
    midnight = datetime.now(tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    newest: dict[str, Any] = {}

    def media() -> str:
        page = next(instagram.media_pages(client, ig_user_id, limit=1))
        newest.update(next(iter(page.get("data") or []), {}))
        return f"{len(page.get('data') or [])} media on the first page, with their insights"

    def comments() -> str:
        if not newest:
            return "no media to read comments of"
        page = next(instagram.comment_pages(client, newest["id"]))
        return f"newest media: {len(page.get('data') or [])} comments on the first page"

    def deep() -> str:
        if not newest:
            return "no media to read insights of"
        pair = (newest["id"], str(newest.get("media_product_type") or "FEED"))
        result = instagram.media_insights(client, [pair]).get(newest["id"])
        if isinstance(result, MetaError):
            raise result
        return "per-media insights of the newest media"

    reads: list[tuple[str, Callable[[], str]]] = [
        ("profile", lambda: "@{}".format(instagram.get_profile(client, ig_user_id).get("username", "?"))),
        ("media", media),
        ("comments", comments),
        ("media insights", deep),
        ("stories", lambda: f"{len(instagram.stories(client, ig_user_id))} live stories"),
        (
            "account insights",
            lambda: "{} metrics of yesterday".format(
                len(account.account_insights(client, ig_user_id, midnight - timedelta(days=1), midnight)["data"])
            ),
        ),
    ]
    return [_read_check(f"Read {what} of {ig_user_id} ({target.host})", read) for what, read in reads]


def _read_check(name: str, read: Callable[[], str]) -> Check:
    try:
        return Check(name, Status.PASS, read())
    except MetaError as exc:
        return Check(name, Status.FAIL, f"Meta answered: {exc}", fix_for(exc))


def check_usage(recorder: UsageRecorder) -> Check:
    """The highest X-App-Usage and X-Business-Use-Case-Usage Meta reported during the doctor's calls."""
    seen = [f"X-App-Usage {recorder.app:.0f} %"] if recorder.app is not None else []
    seen += [f"X-Business-Use-Case-Usage {pct:.0f} % ({bid})" for bid, pct in sorted(recorder.business.items())]
    if not seen:
        return Check("API usage", Status.PASS, "Meta sent no usage headers")
    worst = max([recorder.app or 0.0, *recorder.business.values()])
    if worst >= USAGE_LIMIT:
        return Check("API usage", Status.FAIL, "; ".join(seen), "Meta is throttling: wait until usage drops")
    if worst >= USAGE_WARNING:
        return Check("API usage", Status.WARN, "; ".join(seen), "close to Meta's limit: collect less often")
    return Check("API usage", Status.PASS, "; ".join(seen))


def check_target(config: MetaConfig, target: Target, recorder: UsageRecorder) -> Iterator[Check]:
    token = check_token(config, target, recorder)
    yield token
    if token.blocking:
        return
    subscribed = check_asset_subscribed(config, target, recorder)
    if subscribed is not None:
        yield subscribed
    for ig_user_id in target.ig_accounts:
        yield from check_reads(config, target, ig_user_id, recorder)


def run(config: MetaConfig, expected: Expectations, targets: list[Target]) -> list[Check]:
    """Every check, in the order a lab fixes things: the app, its webhooks, then each credential."""
    recorder = UsageRecorder()
    config = replace(config, retries=0)  # the doctor reports what Meta answers, even a transient error
    app_check, app = check_app(config, recorder)
    checks = [app_check]
    if app is None:
        checks.append(
            Check("Webhook subscriptions", Status.FAIL, "not checked: the app credentials are wrong", app_check.fix)
        )
    else:
        checks += check_subscriptions(app, config, expected)
    if not targets:
        checks.append(
            Check("Connected accounts", Status.WARN, "no credential stored", "connect an account, then run it again")
        )
    for target in targets:
        checks += check_target(config, target, recorder)
    checks.append(check_usage(recorder))
    return checks
