"""OAuth: consent pages, code exchanges, token exchange/refresh, debug_token, revocation."""

from __future__ import annotations

import html
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from . import (
    APP_NAME,
    FB_USER_ID,
    FB_USER_NAME,
    INSTAGRAM_APP_ID,
    INSTAGRAM_APP_SECRET,
    META_APP_ID,
    META_APP_SECRET,
    PAGE_ID,
    PAGE_NAME,
)
from .context import is_app_token, token_from, validate
from .errors import GraphError, OAuthError, cannot_parse, missing_param
from .failures import rule_error
from .state import FB_SCOPES, IG_SCOPES, LONG, State, Token
from .web import Request, Response, html_response, json_response, redirect

if TYPE_CHECKING:
    from .context import Ctx

CODE_TTL = 3600
IG_SHORT = 3600
FB_SHORT = 7199
LONG_EXPIRES_IN = 5183944
KNOWN_FB_SCOPES = set(FB_SCOPES) | {
    "public_profile",
    "email",
    "pages_manage_engagement",
    "pages_read_user_content",
    "ads_read",
    "ads_management",
    "pages_messaging",
}
SCOPE_TEXT = {
    "instagram_business_basic": "Acessar informações do perfil e mídia",
    "instagram_business_manage_insights": "Acessar insights do perfil e das publicações",
    "instagram_business_manage_comments": "Gerenciar e responder comentários",
    "instagram_business_content_publish": "Publicar conteúdo",
    "instagram_business_manage_messages": "Gerenciar mensagens",
}


# ---------------------------------------------------------------- consent pages


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:34rem;margin:2rem auto;color:#1c1e21}}
fieldset{{margin:1rem 0}}button{{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}}
.sandbox{{background:#fff3cd;padding:.3rem .6rem;font-size:.85rem}}</style></head>
<body><p class="sandbox">Meta sandbox (local test double)</p>{body}</body></html>"""


def _error_page(message: str) -> Response:
    body = f'<h1>Erro</h1><p id="error">{html.escape(message)}</p>'
    return html_response(_page("Erro", body), status=400)


def consent(state: State, req: Request, login: str) -> Response:
    p = req.params()
    app_id = INSTAGRAM_APP_ID if login == "instagram" else META_APP_ID
    if p.get("client_id") != app_id:
        return _error_page(
            "Invalid platform app" if login == "instagram" else "Invalid App ID: the client_id is not a valid app ID."
        )
    if not p.get("redirect_uri", "").startswith(("http://", "https://")):
        return _error_page("Invalid redirect_uri: a valid redirect_uri is required.")
    if login == "instagram" and p.get("response_type") != "code":
        return _error_page("Invalid response_type: response_type must be code.")
    scopes = [s for s in p.get("scope", "").replace(" ", ",").split(",") if s]
    if login == "instagram":
        bad = [s for s in scopes if s not in IG_SCOPES]
        if bad or not scopes:
            return _error_page(f"Invalid Scopes: {', '.join(bad) or '(none)'}")
    else:
        bad = [s for s in scopes if s not in KNOWN_FB_SCOPES]
        if bad:
            return _error_page(f"Invalid Scopes: {', '.join(bad)}")
        scopes = scopes or list(FB_SCOPES)  # config_id (Login for Business) grants the set
    if req.method == "POST":
        if p.get("_form") == "1":
            ticked = [v for k, v in parse_qsl(req.body.decode("utf-8", "replace")) if k == "granted"]
            scopes = [s for s in scopes if s in ticked]
            if login == "instagram" and "instagram_business_basic" not in scopes:
                scopes.insert(0, "instagram_business_basic")
        return _decide(state, p, login, scopes)
    with state.lock:
        accounts = [a for a in state.accounts.values() if a.no not in state.discovery]
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in p.items()
        if k not in ("account", "decision", "granted", "_form")
    )
    hidden += '<input type="hidden" name="_form" value="1">'
    perms = "".join(
        f'<li><label><input type="checkbox" name="granted" value="{s}" checked> '
        f"{html.escape(SCOPE_TEXT.get(s, s))} <code>{s}</code></label></li>"
        for s in scopes
    )
    if login == "instagram":
        title = f"{APP_NAME} quer acessar sua conta do Instagram"
        choices = "".join(
            f'<li><label><input type="radio" name="account" value="{a.id}"'
            f"{' checked' if i == 0 else ''}> @{html.escape(a.username)} "
            f"({html.escape(a.name)})</label></li>"
            for i, a in enumerate(accounts)
        )
    else:
        title = f"{APP_NAME} quer acessar sua conta do Facebook"
        choices = (
            f'<li><label><input type="radio" name="account" value="{FB_USER_ID}" checked> '
            f"{html.escape(FB_USER_NAME)}</label> — Página: {html.escape(PAGE_NAME)}, "
            f"Instagram: @{html.escape(accounts[0].username)}</li>"
        )
    body = f"""<h1>{html.escape(title)}</h1>
<form method="post">{hidden}
<fieldset><legend>Conta</legend><ul id="accounts">{choices}</ul></fieldset>
<fieldset><legend>Permissões solicitadas</legend><ul id="permissions">{perms}</ul></fieldset>
<button type="submit" name="decision" value="allow" id="allow">Permitir</button>
<button type="submit" name="decision" value="cancel" id="cancel">Cancelar</button>
</form>"""
    return html_response(_page(title, body))


def _append(uri: str, params: dict[str, str], fragment: str) -> str:
    sep = "&" if "?" in uri else "?"
    return f"{uri}{sep}{urlencode(params)}{fragment}"


def _decide(state: State, p: dict[str, str], login: str, scopes: list[str]) -> Response:
    uri, fragment = p["redirect_uri"], "#_" if login == "instagram" else "#_=_"
    if p.get("decision") != "allow":
        if login == "instagram":
            err = {
                "error": "access_denied",
                "error_reason": "user_denied",
                "error_description": "The user denied your request",
            }
            if p.get("state"):
                err["state"] = p["state"]
        else:
            err = {
                "error": "access_denied",
                "error_code": "200",
                "error_description": "Permissions error",
                "error_reason": "user_denied",
                "state": p.get("state", ""),
            }
        return redirect(_append(uri, err, fragment))
    granted = scopes
    with state.lock:
        acct = state.account(p.get("account")) if login == "instagram" else state.accounts[1]
        if acct is None:
            acct = state.accounts[1]
        code = "AQ" + secrets.token_urlsafe(96)
        state.codes[code] = {
            "login": login,
            "account": acct.no,
            "scopes": granted,
            "redirect_uri": uri,
            "created": state.now(),
            "used": False,
        }
    out = {"code": code}
    if p.get("state"):
        out["state"] = p["state"]
    return redirect(_append(uri, out, fragment))


def _take_code(state: State, code: str | None, login: str, redirect_uri: str | None) -> dict[str, Any]:
    """The stored code, marked used; raises KeyError / ValueError / LookupError on failure."""
    entry = state.codes.get(code or "")
    if entry is None or entry["login"] != login:
        raise KeyError("not found")
    if entry["used"]:
        raise LookupError("used")
    if state.now() - entry["created"] > CODE_TTL:
        raise TimeoutError("expired")
    if redirect_uri != entry["redirect_uri"]:
        raise ValueError("redirect_uri")
    entry["used"] = True
    return entry


# ---------------------------------------------------------------- Instagram Login


def ig_code_exchange(state: State, req: Request) -> Response:
    p = req.params()
    try:
        if req.method != "POST":
            raise OAuthError("Unsupported method: use POST", 405)
        if p.get("client_id") != INSTAGRAM_APP_ID:
            raise OAuthError("Invalid platform app")
        if p.get("client_secret") != INSTAGRAM_APP_SECRET:
            raise OAuthError("Error validating client secret.")
        if p.get("grant_type") != "authorization_code":
            raise OAuthError("Invalid grant_type: authorization_code is required")
        with state.lock:
            try:
                entry = _take_code(state, p.get("code"), "instagram", p.get("redirect_uri"))
            except ValueError as exc:
                raise OAuthError(
                    "Error validating verification code. Please make sure your "
                    "redirect_uri is identical to the one you used in the OAuth "
                    "dialog request"
                ) from exc
            except (KeyError, LookupError, TimeoutError) as exc:
                raise OAuthError("Matching code was not found or was already used") from exc
            acct = state.accounts[entry["account"]]
            grant = state.new_grant("instagram", acct, entry["scopes"])
            tok = state.mint(grant, IG_SHORT)
            shape = state.config.get("ig_code_exchange_shape", "flat")
            as_array = state.config.get("ig_permissions_shape") == "array"
    except OAuthError as exc:
        return json_response(exc.body(), 400)
    # Meta's docs show a comma string; responses recorded by public projects carry an array.
    perms: str | list[str] = list(grant.scopes) if as_array else ",".join(grant.scopes)
    if shape == "wrapped":
        return json_response({"data": [{"access_token": tok.token, "user_id": grant.user_id, "permissions": perms}]})
    return json_response({"access_token": tok.token, "user_id": int(grant.user_id), "permissions": perms})


def _check_token(ctx: Ctx) -> Token:
    value = token_from(ctx.req, ctx.params)
    if not value:
        raise missing_param("access_token")
    tok = ctx.state.tokens.get(value)
    if tok is None:
        raise cannot_parse()
    err = validate(ctx.state, tok, ctx.host, ctx.state.now())
    if err:
        raise err
    ctx.token = tok
    return tok


def _long_answer(tok: Token, now: float) -> dict[str, Any]:
    return {
        "access_token": tok.token,
        "token_type": "bearer",
        "expires_in": int(tok.expires_at - now) if tok.expires_at else LONG_EXPIRES_IN,
    }


def ig_exchange(ctx: Ctx) -> dict[str, Any]:
    p, st = ctx.params, ctx.state
    if p.get("grant_type") != "ig_exchange_token":
        raise GraphError(100, "Unsupported grant_type. Use ig_exchange_token.")
    if p.get("client_secret") != INSTAGRAM_APP_SECRET:
        raise GraphError(1, "Error validating client secret.")
    tok = _check_token(ctx)
    new = st.mint(st.grants[tok.grant_id], LONG_EXPIRES_IN)
    return _long_answer(new, st.now())


def ig_refresh(ctx: Ctx) -> dict[str, Any]:
    p, st = ctx.params, ctx.state
    if p.get("grant_type") != "ig_refresh_token":
        raise GraphError(100, "Unsupported grant_type. Use ig_refresh_token.")
    tok = _check_token(ctx)
    if st.now() - tok.issued_at < 86400:
        raise GraphError(
            100, "(#100) The access token can only be refreshed when it is at least 24 hours old.", subcode=None
        )
    if not tok.long_lived:
        raise GraphError(100, "(#100) Only long-lived access tokens can be refreshed.")
    new = st.mint(st.grants[tok.grant_id], LONG_EXPIRES_IN)
    return _long_answer(new, st.now())


# ---------------------------------------------------------------- Facebook Login


def fb_access_token(ctx: Ctx) -> dict[str, Any]:
    p, st = ctx.params, ctx.state
    if p.get("client_id") != META_APP_ID:
        raise GraphError(101, "Error validating application. Invalid application ID.")
    if p.get("client_secret") != META_APP_SECRET:
        raise GraphError(1, "Error validating client secret.")
    grant_type = p.get("grant_type")
    if grant_type == "client_credentials":
        return {"access_token": f"{META_APP_ID}|{META_APP_SECRET}", "token_type": "bearer"}
    if grant_type == "fb_exchange_token":
        value = p.get("fb_exchange_token")
        if not value:
            raise missing_param("fb_exchange_token")
        tok = st.tokens.get(value)
        if tok is None or tok.type != "USER":
            raise cannot_parse()
        err = validate(st, tok, ctx.host, st.now())
        if err:
            raise err
        new = st.mint(st.grants[tok.grant_id], LONG_EXPIRES_IN)
        return _long_answer(new, st.now())
    if "code" not in p:
        raise missing_param("code")
    try:
        entry = _take_code(st, p.get("code"), "facebook", p.get("redirect_uri"))
    except KeyError as exc:
        raise GraphError(100, "Invalid verification code format.", subcode=36007) from exc
    except LookupError as exc:
        raise GraphError(100, "This authorization code has been used.", subcode=36009) from exc
    except TimeoutError as exc:
        raise GraphError(100, "This authorization code has expired.", subcode=36007) from exc
    except ValueError as exc:
        raise GraphError(
            100,
            "Error validating verification code. Please make sure your "
            "redirect_uri is identical to the one you used in the OAuth "
            "dialog request",
            subcode=36008,
        ) from exc
    grant = st.new_grant("facebook", st.accounts[entry["account"]], entry["scopes"])
    tok = st.mint(grant, FB_SHORT)
    return _long_answer(tok, st.now())


# ---------------------------------------------------------------- debug_token, permissions


def debug_token(ctx: Ctx) -> dict[str, Any]:
    st, p = ctx.state, ctx.params
    caller = token_from(ctx.req, p)
    caller_tok = st.tokens.get(caller or "")
    if not caller or not (
        is_app_token(caller) or (caller_tok and validate(st, caller_tok, ctx.host, st.now()) is None)
    ):
        raise GraphError(
            100,
            "(#100) You must provide an app access token, or a user access "
            "token that is an owner or developer of the app",
        )
    value = p.get("input_token")
    if not value:
        raise missing_param("input_token")
    tok = st.tokens.get(value)
    if tok is None:
        return {
            "data": {
                "error": {"code": 190, "message": "Invalid OAuth access token - Cannot parse access token"},
                "is_valid": False,
                "scopes": [],
            }
        }
    grant = st.grants[tok.grant_id]
    acct = st.accounts[tok.account_no]
    d: dict[str, Any] = {
        "app_id": INSTAGRAM_APP_ID if tok.login == "instagram" else META_APP_ID,
        "type": tok.type,
        "application": APP_NAME,
        "data_access_expires_at": int(tok.issued_at + 90 * 86400),
        "expires_at": int(tok.expires_at),
        "is_valid": True,
        "issued_at": int(tok.issued_at),
        "scopes": list(tok.scopes),
        "granular_scopes": [
            {"scope": s, "target_ids": [PAGE_ID] if s.startswith("pages_") else [acct.id]}
            for s in tok.scopes
            if s.startswith(("pages_", "instagram_"))
        ],
        "user_id": FB_USER_ID if tok.login == "facebook" else tok.subject,
    }
    if tok.type == "PAGE":
        d["profile_id"] = PAGE_ID
    err = validate(st, tok, "graph.instagram.com" if tok.login == "instagram" else "graph.facebook.com", st.now())
    if err is None and (rule := st.failures.token_rule(value)) is not None:
        err = rule_error(rule, d["app_id"])
    if err:
        d["is_valid"] = False
        d["error"] = {
            "code": err.code,
            "message": err.message,
            "subcode": err.subcode if err.subcode else (458 if grant.revoked else 467),
        }
    return {"data": d}


def permissions(ctx: Ctx) -> dict[str, Any]:
    assert ctx.token is not None
    return {"data": [{"permission": s, "status": "granted"} for s in ctx.token.scopes]}


def revoke(ctx: Ctx) -> dict[str, Any]:
    assert ctx.token is not None
    ctx.state.grants[ctx.token.grant_id].revoked = True
    return {"success": True}


def mint_for_control(state: State, spec: dict[str, Any]) -> dict[str, Any]:
    login = spec.get("login", "instagram")
    if login not in ("instagram", "facebook"):
        raise ValueError("login must be instagram or facebook")
    acct = state.account(spec.get("account")) if login == "instagram" else state.accounts[1]
    if acct is None:
        raise ValueError(f"unknown account {spec.get('account')!r}")
    now = state.now()
    issued = now - float(spec.get("age_hours", 0)) * 3600
    days = float(spec.get("expires_in_days", 60))
    grant = state.new_grant(login, acct, spec.get("scopes"), created_at=issued)
    tok = state.mint(grant, days * 86400 if days else -1, issued_at=issued)
    if days == 0:
        tok.expires_at = issued
    out = {
        "access_token": tok.token,
        "user_id": grant.user_id,
        "expires_at": int(tok.expires_at),
        "issued_at": int(tok.issued_at),
        "ig_user_id": acct.id,
        "scopes": grant.scopes,
    }
    if login == "facebook":
        out["page_id"] = PAGE_ID
        out["page_access_token"] = state.page_token(tok).token
    return out


__all__ = ["LONG", "consent", "ig_code_exchange"]
