"""Instagram's code exchange answers flat in practice and wrapped in `data` in the docs: both work."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from meta.conf import MetaConfig
from meta.errors import MetaError
from meta.oauth import exchange_instagram_code, parse_permissions

REDIRECT_URI = "http://testserver/auth/instagram_business/login/callback/"


def authorization_code(sandbox: Any) -> str:
    config = MetaConfig.from_settings()
    response = requests.post(
        config.url("www.instagram.com", "/oauth/authorize"),
        params={
            "client_id": config.instagram_app_id,
            "redirect_uri": REDIRECT_URI,
            "response_type": "code",
            "scope": "instagram_business_basic,instagram_business_manage_comments",
            "state": "s",
        },
        data={"decision": "allow", "account": "ifma.caxias"},
        allow_redirects=False,
        timeout=10,
    )
    location = response.headers["Location"]
    return parse_qs(urlparse(location).query)["code"][0]


@pytest.mark.parametrize("shape", ["flat", "wrapped"])
def test_both_documented_shapes_give_the_token_and_a_string_user_id(sandbox: Any, shape: str) -> None:
    requests.post(f"{sandbox.url}/_sandbox/config", json={"ig_code_exchange_shape": shape}, timeout=10)

    result = exchange_instagram_code(authorization_code(sandbox), REDIRECT_URI, MetaConfig.from_settings())

    assert result["access_token"].startswith("IGAA")
    assert isinstance(result["user_id"], str) and result["user_id"].isdigit()
    assert result["permissions"] == "instagram_business_basic,instagram_business_manage_comments"


@pytest.mark.parametrize("shape", ["string", "array"])
def test_granted_permissions_read_the_same_as_a_string_or_a_json_array(sandbox: Any, shape: str) -> None:
    requests.post(f"{sandbox.url}/_sandbox/config", json={"ig_permissions_shape": shape}, timeout=10)

    result = exchange_instagram_code(authorization_code(sandbox), REDIRECT_URI, MetaConfig.from_settings())

    assert result["permissions"] == "instagram_business_basic,instagram_business_manage_comments"
    assert parse_permissions(result["permissions"]) == parse_permissions(
        ["instagram_business_basic", "instagram_business_manage_comments"]
    )


def test_a_used_code_is_refused_with_instagrams_message(sandbox: Any) -> None:
    code = authorization_code(sandbox)
    exchange_instagram_code(code, REDIRECT_URI, MetaConfig.from_settings())
    with pytest.raises(MetaError, match="Matching code was not found or was already used"):
        exchange_instagram_code(code, REDIRECT_URI, MetaConfig.from_settings())
