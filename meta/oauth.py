"""OAuth with Meta: code exchange shapes, long-lived tokens, refresh, debug_token, revocation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meta.client import GraphClient, session
from meta.conf import FACEBOOK_GRAPH, INSTAGRAM_API, INSTAGRAM_GRAPH, INSTAGRAM_WWW, MetaConfig, graph_host
from meta.errors import error_from_response

INSTAGRAM_PROFILE_FIELDS = (
    "id,user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count"
)
PAGE_FIELDS = "id,name,access_token,category,tasks,instagram_business_account{id,username,name,profile_picture_url}"


def unwrap_instagram_code_exchange(data: dict[str, Any]) -> dict[str, Any]:
    """The code exchange answers flat in practice and `{"data": [{…}]}` in the docs: accept both.

    `user_id` may be a JSON number; `permissions` a comma-separated string (Meta's docs) or a
    JSON array (responses recorded by other projects): both leave here as the comma string.
    """
    if isinstance(data.get("data"), list) and data["data"]:
        data = data["data"][0]
    result = dict(data)
    if "user_id" in result:
        result["user_id"] = str(result["user_id"])
    if "permissions" in result:
        result["permissions"] = ",".join(parse_permissions(result["permissions"]))
    return result


def parse_permissions(value: Any) -> tuple[str, ...]:
    """Granted scopes from a comma-separated string or a JSON array of names."""
    names = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(str(name).strip() for name in names if str(name).strip())


def unwrap_single(data: dict[str, Any]) -> dict[str, Any]:
    """`/me` on graph.instagram.com is documented wrapped in `data` but answers flat."""
    if isinstance(data.get("data"), list) and data["data"]:
        return dict(data["data"][0])
    return data


def fetch_instagram_profile(access_token: str, config: MetaConfig) -> dict[str, Any]:
    client = GraphClient(access_token, host=INSTAGRAM_GRAPH, config=config)
    profile = unwrap_single(client.get("me", {"fields": INSTAGRAM_PROFILE_FIELDS}))
    profile["user_id"] = str(profile.get("user_id") or profile.get("id"))
    return profile


@dataclass(frozen=True)
class IssuedToken:
    """A token Meta just issued. `expires_in` is None when Meta gave none (never expires or unknown)."""

    access_token: str
    expires_in: int | None
    permissions: tuple[str, ...] = ()

    def __repr__(self) -> str:  # never show the token
        return f"<IssuedToken …{self.access_token[-4:]} expires_in={self.expires_in}>"


def _issued(body: dict[str, Any]) -> IssuedToken:
    expires_in = body.get("expires_in")
    return IssuedToken(
        access_token=str(body["access_token"]),
        expires_in=int(expires_in) if expires_in not in (None, "", 0) else None,
        permissions=parse_permissions(body.get("permissions")),
    )


def exchange_facebook_token(short_token: str, config: MetaConfig) -> IssuedToken:
    """Facebook Login: a user token for a long-lived one (~60 days). No minimum age applies."""
    client = GraphClient(short_token, host=FACEBOOK_GRAPH, config=config)
    body = client.get(
        "oauth/access_token",
        {
            "grant_type": "fb_exchange_token",
            "client_id": config.app_id,
            "client_secret": config.app_secret,
            "fb_exchange_token": short_token,
        },
    )
    return _issued(body)


def exchange_instagram_token(short_token: str, config: MetaConfig) -> IssuedToken:
    """Instagram Login: the 1-hour token for a 60-day one, with the Instagram app secret."""
    client = GraphClient(short_token, host=INSTAGRAM_GRAPH, config=config)
    body = client.request(
        "GET",
        config.url(INSTAGRAM_GRAPH, "/access_token"),
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": config.instagram_app_secret,
            "access_token": short_token,
        },
    )
    return _issued(body)


def refresh_instagram_token(long_token: str, config: MetaConfig) -> IssuedToken:
    """Instagram Login: a fresh 60 days for a long-lived token at least 24 hours old."""
    client = GraphClient(long_token, host=INSTAGRAM_GRAPH, config=config)
    body = client.request(
        "GET",
        config.url(INSTAGRAM_GRAPH, "/refresh_access_token"),
        params={"grant_type": "ig_refresh_token", "access_token": long_token},
    )
    return _issued(body)


def debug_token(input_token: str, config: MetaConfig) -> dict[str, Any]:
    """What Meta knows of a Facebook token (validity, expiry, scopes), asked with the app token."""
    client = GraphClient(f"{config.app_id}|{config.app_secret}", host=FACEBOOK_GRAPH, config=config)
    return dict(client.get("debug_token", {"input_token": input_token}).get("data") or {})


def check_token(access_token: str, config: MetaConfig, *, instagram_login: bool) -> None:
    """`GET /me` with the token itself: returns when Meta accepts it, raises its MetaError when not."""
    fields = "user_id" if instagram_login else "id"
    GraphClient(access_token, host=graph_host(instagram_login), config=config).get("me", {"fields": fields})


def list_pages(user_token: str, config: MetaConfig) -> list[dict[str, Any]]:
    """The Pages behind a Facebook user token, each with its Page token and linked Instagram account."""
    client = GraphClient(user_token, host=FACEBOOK_GRAPH, config=config)
    pages: list[dict[str, Any]] = []
    for page in client.paginate("me/accounts", {"fields": PAGE_FIELDS, "limit": 100}):
        pages.extend(page.get("data") or [])
    return pages


def fetch_facebook_user(user_token: str, config: MetaConfig) -> dict[str, Any]:
    return dict(GraphClient(user_token, host=FACEBOOK_GRAPH, config=config).get("me", {"fields": "id,name"}))


# The webhook fields each asset is subscribed to when it is connected (meta_doctor checks them too).
PAGE_SUBSCRIBED_FIELDS = "feed"
INSTAGRAM_SUBSCRIBED_FIELDS = "comments,messages"


def subscribe_page(page_id: str, page_token: str, config: MetaConfig, fields: str = PAGE_SUBSCRIBED_FIELDS) -> None:
    GraphClient(page_token, host=FACEBOOK_GRAPH, config=config).post(
        f"{page_id}/subscribed_apps", {"subscribed_fields": fields}
    )


def subscribe_instagram(ig_token: str, config: MetaConfig, fields: str = INSTAGRAM_SUBSCRIBED_FIELDS) -> None:
    GraphClient(ig_token, host=INSTAGRAM_GRAPH, config=config).post("me/subscribed_apps", {"subscribed_fields": fields})


def revoke_permissions(access_token: str, host: str, config: MetaConfig) -> None:
    """`DELETE /me/permissions`: the person's whole grant to the app is withdrawn at Meta."""
    GraphClient(access_token, host=host, config=config).delete("me/permissions")


def instagram_authorize_url(config: MetaConfig) -> str:
    """Where Instagram Business Login sends the person to consent (allauth adds the query)."""
    return config.url(INSTAGRAM_WWW, "/oauth/authorize")


def instagram_access_token_url(config: MetaConfig) -> str:
    """Where Instagram Business Login's authorization code is exchanged (exchange_instagram_code)."""
    return config.url(INSTAGRAM_API, "/oauth/access_token")


def exchange_instagram_code(code: str, redirect_uri: str, config: MetaConfig) -> dict[str, Any]:
    """Instagram Login: the authorization code for a short-lived token (`api.instagram.com`).

    Raises MetaError (in the Instagram OAuth error shape) when Meta refuses the code."""
    response = session().post(
        instagram_access_token_url(config),
        data={
            "client_id": config.instagram_app_id,
            "client_secret": config.instagram_app_secret,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
            "code": code.removesuffix("#_"),
        },
        timeout=config.timeout,
    )
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400 or not isinstance(body, dict):
        raise error_from_response(response.status_code, body)
    result = unwrap_instagram_code_exchange(body)
    if "access_token" not in result:
        raise error_from_response(response.status_code, body)
    return result
