"""The sandbox answers Business Discovery and the tags edge as Meta does (docs/sandbox.md)."""

from __future__ import annotations

from typing import Any

import requests

from tests.sandbox.conftest import Control

SAOLUIS = "17841400000000001"
MEDIA = "caption,like_count,comments_count,timestamp,media_type,media_product_type,permalink"


def discover(ctl: Control, token: str, inner: str, host: str | None = None, node: str = SAOLUIS) -> Any:
    fields = f"business_discovery.username(ifma.timon){{{inner}}}"
    return requests.get(f"{host or ctl.fb}/{node}", params={"fields": fields, "access_token": token}, timeout=30)


def test_it_gives_another_accounts_public_fields_and_media_with_only_an_after_cursor(ctl: Control) -> None:
    token = ctl.token("facebook")
    body = discover(
        ctl,
        token,
        f"followers_count,follows_count,media_count,name,biography,website,profile_picture_url,media{{{MEDIA}}}",
    ).json()
    public = body["business_discovery"]
    assert body["id"] == SAOLUIS and public["id"] == "17841400000000100" and public["name"] == "IFMA Campus Timon"
    assert len(public["media"]["data"]) == 25 and set(public["media"]["data"][0]) == {*MEDIA.split(","), "id"}
    assert set(public["media"]["paging"]) == {"cursors"} and set(public["media"]["paging"]["cursors"]) == {"after"}
    after = public["media"]["paging"]["cursors"]["after"]
    following = discover(ctl, token, f"media.after({after}).limit(10){{id}}").json()["business_discovery"]["media"]
    assert len(following["data"]) == 10 and following["data"][0]["id"] == "180100000000000025"


def test_it_refuses_accounts_it_will_not_show_with_cannot_find_user(ctl: Control) -> None:
    token = ctl.token("facebook")
    for username in ("joana.estudante", "perfil.fechado", "cervejaria.maranhense", "nao.existe"):
        fields = f"business_discovery.username({username}){{id}}"
        response = requests.get(f"{ctl.fb}/{SAOLUIS}", params={"fields": fields, "access_token": token}, timeout=30)
        error = response.json()["error"]
        assert response.status_code == 400
        assert (error["code"], error["error_subcode"], error["message"]) == (110, 2207013, "Invalid user id")
        assert error["error_user_title"] == "Cannot find User"
        assert error["error_user_msg"] == f"The user with username: {username} cannot be found."


def test_it_gives_no_insights_stories_or_comments_of_another_account(ctl: Control) -> None:
    token = ctl.token("facebook")
    for inner, node_type in (
        ("media{insights.metric(reach)}", "IGMedia"),
        ("stories", "IGUser"),
        ("media{comments}", "IGMedia"),
    ):
        error = discover(ctl, token, inner).json()["error"]
        assert error["code"] == 100 and f"on node type ({node_type})" in error["message"]


def test_instagram_login_tokens_cannot_use_business_discovery(ctl: Control) -> None:
    token = ctl.token("instagram")
    on_instagram = discover(ctl, token, "id", host=ctl.ig, node="me").json()["error"]
    assert (
        on_instagram["message"] == "(#100) Tried accessing nonexisting field (business_discovery) on node type (User)"
    )
    on_facebook = discover(ctl, token, "id").json()["error"]
    assert on_facebook["code"] == 190


def test_the_tags_edge_pages_the_media_others_tagged_the_account_in(ctl: Control) -> None:
    token = ctl.token("facebook")
    params = {"fields": "id,caption,username,timestamp,like_count,permalink", "limit": 5, "access_token": token}
    first = requests.get(f"{ctl.fb}/{SAOLUIS}/tags", params=params, timeout=30).json()
    assert len(first["data"]) == 5 and all("@ifma.saoluis" in item["caption"] for item in first["data"])
    rest = requests.get(first["paging"]["next"], timeout=30).json()
    assert len(rest["data"]) == 3 and "next" not in rest["paging"]
    ctl("POST", "tags", json={"account": "ifma.saoluis", "username": "ana.egressa"})
    newest = requests.get(f"{ctl.fb}/{SAOLUIS}/tags", params=params, timeout=30).json()["data"][0]
    assert newest["username"] == "ana.egressa"


def test_public_accounts_are_listed_apart_from_the_connectable_ones(ctl: Control) -> None:
    connectable = {account["username"] for account in ctl("GET", "accounts")}
    public = {account["username"]: account["discovery"] for account in ctl("GET", "discovery")["accounts"]}
    assert "ifma.timon" not in connectable and public["ifma.timon"] == "business"
    assert public["perfil.fechado"] == "private" and public["ifma.saoluis"] == "business"
    assert sum(1 for kind in public.values() if kind == "business") >= 30
