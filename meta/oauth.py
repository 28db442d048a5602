"""OAuth with Meta: code exchange shapes, long-lived tokens, refresh, debug_token, revocation."""

from __future__ import annotations

from typing import Any

from meta.client import GraphClient
from meta.conf import INSTAGRAM_GRAPH, MetaConfig

INSTAGRAM_PROFILE_FIELDS = (
    "user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count"
)


def unwrap_instagram_code_exchange(data: dict[str, Any]) -> dict[str, Any]:
    """The code exchange answers flat in practice and `{"data": [{…}]}` in the docs: accept both.

    `user_id` may be a JSON number; `permissions` a comma-separated string.
    """
    if isinstance(data.get("data"), list) and data["data"]:
        data = data["data"][0]
    result = dict(data)
    if "user_id" in result:
        result["user_id"] = str(result["user_id"])
    return result


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
