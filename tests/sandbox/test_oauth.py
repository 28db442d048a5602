"""OAuth: consent pages, code exchanges, exchange/refresh rules, revocation."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import requests

from .conftest import Control

IG_APP = "200000000000002"
IG_SECRET = "sandbox-instagram-app-secret"
REDIRECT = "http://localhost:8000/accounts/instagram/login/callback/"


def consent_page(ctl: Control, **extra: str) -> requests.Response:
    params = {
        "client_id": IG_APP,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "instagram_business_basic,instagram_business_manage_insights",
        "state": "csrf123",
        **extra,
    }
    return requests.get(f"{ctl.url}/www.instagram.com/oauth/authorize", params=params)


def approve(ctl: Control, account: str = "17841400000000001") -> str:
    page = consent_page(ctl)
    answer = requests.post(page.url, data={"account": account, "decision": "allow"}, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#_")
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["csrf123"]
    return query["code"][0]


def exchange(ctl: Control, code: str) -> requests.Response:
    return requests.post(
        f"{ctl.url}/api.instagram.com/oauth/access_token",
        data={
            "client_id": IG_APP,
            "client_secret": IG_SECRET,
            "grant_type": "authorization_code",
            "redirect_uri": REDIRECT,
            "code": code,
        },
    )


def test_the_consent_page_lists_permissions_accounts_and_both_buttons(ctl: Control) -> None:
    page = consent_page(ctl)

    assert page.status_code == 200
    assert 'id="allow"' in page.text and 'id="cancel"' in page.text
    assert "instagram_business_manage_insights" in page.text
    assert len(re.findall(r'type="radio" name="account"', page.text)) == 3


def test_a_wrong_client_id_is_refused(ctl: Control) -> None:
    assert consent_page(ctl, client_id="100000000000001").status_code == 400


def test_cancel_redirects_with_metas_error_parameters(ctl: Control) -> None:
    page = consent_page(ctl)
    answer = requests.post(page.url, data={"decision": "cancel"}, allow_redirects=False)

    location = answer.headers["Location"]
    assert location.startswith(REDIRECT) and location.endswith("#_")
    query = parse_qs(urlsplit(location).query)
    assert query["error"] == ["access_denied"] and query["error_reason"] == ["user_denied"]
    assert query["error_description"] == ["The user denied your request"]


def test_facebook_cancel_carries_error_code_200_and_state(ctl: Control) -> None:
    params = {
        "client_id": "100000000000001",
        "redirect_uri": "http://localhost:8000/fb/",
        "state": "s1",
        "response_type": "code",
        "scope": "instagram_basic,pages_show_list",
    }
    page = requests.get(f"{ctl.url}/www.facebook.com/v25.0/dialog/oauth", params=params)
    answer = requests.post(page.url, data={"decision": "cancel"}, allow_redirects=False)

    location = answer.headers["Location"]
    assert location.endswith("#_=_")
    query = parse_qs(urlsplit(location).query)
    assert query["error_code"] == ["200"] and query["state"] == ["s1"]


def test_code_exchange_is_flat_one_use_and_switchable_to_wrapped(ctl: Control) -> None:
    code = approve(ctl, "17841400000000002")
    first = exchange(ctl, code).json()
    assert isinstance(first["user_id"], int)
    assert first["permissions"] == "instagram_business_basic,instagram_business_manage_insights"
    me = requests.get(
        f"{ctl.ig}/me", params={"access_token": first["access_token"], "fields": "user_id,username"}
    ).json()
    assert (me["user_id"], me["username"]) == ("17841400000000002", "ifma.imperatriz")

    again = exchange(ctl, code)
    assert again.status_code == 400
    assert again.json() == {
        "error_type": "OAuthException",
        "code": 400,
        "error_message": "Matching code was not found or was already used",
    }

    ctl("POST", "config", json={"ig_code_exchange_shape": "wrapped"})
    wrapped = exchange(ctl, approve(ctl)).json()
    assert set(wrapped) == {"data"} and wrapped["data"][0]["access_token"].startswith("IGAA")


def test_exchange_then_refresh_follows_the_24_hour_rule(ctl: Control) -> None:
    short = exchange(ctl, approve(ctl)).json()["access_token"]
    long_lived = requests.get(
        f"{ctl.url}/graph.instagram.com/access_token",
        params={"grant_type": "ig_exchange_token", "client_secret": IG_SECRET, "access_token": short},
    ).json()
    assert long_lived["token_type"] == "bearer" and long_lived["expires_in"] > 59 * 86400

    refresh = f"{ctl.url}/graph.instagram.com/refresh_access_token"
    young = requests.get(refresh, params={"grant_type": "ig_refresh_token", "access_token": long_lived["access_token"]})
    assert young.status_code == 400 and "24 hours" in young.json()["error"]["message"]

    old = ctl.token(age_hours=25)
    refreshed = requests.get(refresh, params={"grant_type": "ig_refresh_token", "access_token": old}).json()
    assert refreshed["expires_in"] > 59 * 86400 and refreshed["access_token"] != old

    expired = ctl.token(age_hours=30, expires_in_days=1)
    error = requests.get(refresh, params={"grant_type": "ig_refresh_token", "access_token": expired}).json()["error"]
    assert (error["code"], error["error_subcode"]) == (190, 463)


def test_revoking_permissions_kills_every_token_of_the_grant(ctl: Control) -> None:
    user_token = ctl.token("facebook", "10000000000000001")
    page_token = requests.get(f"{ctl.fb}/me/accounts", params={"access_token": user_token}).json()["data"][0][
        "access_token"
    ]

    assert requests.delete(f"{ctl.fb}/me/permissions", params={"access_token": user_token}).json() == {"success": True}
    for token in (user_token, page_token):
        error = requests.get(f"{ctl.fb}/me", params={"access_token": token}).json()["error"]
        assert error["code"] == 190 and "error_subcode" not in error
    assert ctl("GET", "grants")[0]["revoked"] is True


def test_debug_token_reports_a_token_the_failure_rules_expired(ctl):
    token = ctl.token("facebook", "10000000000000001")
    ctl("POST", "failures", json={"token": token, "mode": "expired"})

    data = requests.get(
        f"{ctl.fb}/debug_token",
        params={"input_token": token, "access_token": "100000000000001|sandbox-meta-app-secret"},
        timeout=5,
    ).json()["data"]

    assert data["is_valid"] is False
    assert (data["error"]["code"], data["error"]["subcode"]) == (190, 463)


def test_a_page_has_a_picture(ctl):
    token = ctl.token("facebook", "10000000000000001")

    pages = requests.get(
        f"{ctl.fb}/me/accounts", params={"fields": "id,picture{url}", "access_token": token}, timeout=5
    ).json()["data"]

    assert pages[0]["picture"]["data"]["url"].endswith(".jpg")
