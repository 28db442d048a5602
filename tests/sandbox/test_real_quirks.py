"""Real Meta behaviours the sandbox plays on request (POST /_sandbox/config, docs/sandbox.md)."""

from __future__ import annotations

import time

import requests

from .conftest import Control


def _media(ctl: Control, token: str, limit: int = 100) -> list[dict]:
    params = {"access_token": token, "fields": "id,timestamp", "limit": limit}
    return requests.get(f"{ctl.ig}/me/media", params=params, timeout=30).json()["data"]


def test_it_answers_2108006_for_media_posted_before_the_business_conversion(ctl: Control) -> None:
    token = ctl.token(account="ifma.caxias")
    media = _media(ctl, token)
    middle = media[len(media) // 2]["timestamp"][:10]
    ctl("POST", "config", json={"converted_to_business": {"ifma.caxias": middle}})

    old = requests.get(f"{ctl.ig}/{media[-1]['id']}/insights", params={"access_token": token, "metric": "reach"})
    new = requests.get(f"{ctl.ig}/{media[5]['id']}/insights", params={"access_token": token, "metric": "reach"})
    page = requests.get(
        f"{ctl.ig}/me/media", params={"access_token": token, "fields": "id,insights.metric(reach)", "limit": 100}
    )

    error = old.json()["error"]
    assert (error["code"], error["error_subcode"], error["message"]) == (100, 2108006, "Invalid parameter")
    assert error["error_user_title"] == "Media posted before business account conversion"
    assert new.status_code == 200
    assert page.json()["error"]["error_subcode"] == 2108006  # one old media fails the whole page


def test_a_host_can_refuse_named_profile_fields(ctl: Control) -> None:
    ctl("POST", "config", json={"refused_fields": {"graph.instagram.com": ["biography", "website"]}})
    token = ctl.token()

    refused = requests.get(f"{ctl.ig}/me", params={"access_token": token, "fields": "username,biography"})
    plain = requests.get(f"{ctl.ig}/me", params={"access_token": token, "fields": "username"})

    assert (
        refused.json()["error"]["message"] == "(#100) Tried accessing nonexisting field (biography) on node type (User)"
    )
    assert plain.json()["username"] == "ifma.saoluis"


def test_every_unsupported_metric_is_named_in_one_message(ctl: Control) -> None:
    token = ctl.token()
    media_id = _media(ctl, token, 3)[2]["id"]

    response = requests.get(
        f"{ctl.ig}/{media_id}/insights", params={"access_token": token, "metric": "reach,impressions,replies"}
    )

    assert "does not support the impressions, replies metric" in response.json()["error"]["message"]


def test_a_page_too_large_answers_code_1_reduce_the_amount_of_data(ctl: Control) -> None:
    ctl("POST", "config", json={"reduce_data_above": 25})
    token = ctl.token()

    big = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "limit": 50})
    small = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "limit": 25})

    assert big.status_code == 500
    assert big.json()["error"]["code"] == 1
    assert "Please reduce the amount of data you're asking for" in big.json()["error"]["message"]
    assert len(small.json()["data"]) == 25


def test_two_breakdowns_answer_pairs_under_both_dimension_keys(ctl: Control) -> None:
    token = ctl.token()
    now = int(time.time())
    params = {
        "access_token": token,
        "metric": "reach",
        "period": "day",
        "metric_type": "total_value",
        "breakdown": "media_product_type,follow_type",
        "since": now - 86400,
        "until": now,
    }

    body = requests.get(f"{ctl.ig}/me/insights", params=params).json()

    breakdown = body["data"][0]["total_value"]["breakdowns"][0]
    assert breakdown["dimension_keys"] == ["media_product_type", "follow_type"]
    pairs = [tuple(r["dimension_values"]) for r in breakdown["results"]]
    assert all(len(pair) == 2 for pair in pairs)
    assert {surface for surface, _ in pairs} <= {"REEL", "POST", "CAROUSEL_CONTAINER", "STORY", "IGTV", "AD",
                                                  "AR_EFFECT_PREVIEW"}  # fmt: skip
    assert {follow for _, follow in pairs} <= {"FOLLOWER", "NON_FOLLOWER", "UNKNOWN"}
    assert sum(r["value"] for r in breakdown["results"]) == body["data"][0]["total_value"]["value"]
