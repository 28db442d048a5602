"""Graph reads: fields, errors, paging, insights rules, batch, the call counter."""

from __future__ import annotations

import json
import time
from datetime import datetime
from itertools import pairwise

import requests

from tests.sandbox_process import free_port, start_sandbox

from .conftest import Control

SAO_LUIS = "17841400000000001"


def test_it_starts_well_under_three_seconds() -> None:
    process, seconds = start_sandbox(free_port(), seed=7)
    process.terminate()
    process.wait(timeout=10)
    assert seconds < 3


def test_ig_user_fields_with_a_valid_token(ctl: Control) -> None:
    token = ctl.token()
    fields = "user_id,username,name,account_type,followers_count,follows_count,media_count"
    me = requests.get(f"{ctl.ig}/me", params={"access_token": token, "fields": fields}).json()

    assert me["user_id"] == SAO_LUIS
    assert me["id"] != SAO_LUIS  # the app-scoped id differs, as at Meta
    assert me["username"] == "ifma.saoluis"
    assert me["account_type"] == "BUSINESS"
    assert 5000 <= me["followers_count"] <= 40000
    assert 300 <= me["media_count"] <= 1500


def test_usage_headers_come_with_every_graph_response(ctl: Control) -> None:
    token = ctl.token()
    response = requests.get(f"{ctl.ig}/me", params={"access_token": token})

    assert json.loads(response.headers["X-App-Usage"])["call_count"] >= 0
    buc = json.loads(response.headers["X-Business-Use-Case-Usage"])
    assert buc[SAO_LUIS][0]["type"] == "instagram"


def test_an_expired_token_gives_metas_190_463(ctl: Control) -> None:
    token = ctl.token(age_hours=3, expires_in_days=0)
    response = requests.get(f"{ctl.ig}/me", params={"access_token": token})

    error = response.json()["error"]
    assert response.status_code == 400
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")
    assert error["message"].startswith("Error validating access token: Session has expired on")


def test_an_expired_failure_rule_and_a_bearer_header(ctl: Control) -> None:
    token = ctl.token()
    ctl("POST", "failures", json={"token": token, "mode": "expired", "times": 1})
    headers = {"Authorization": f"Bearer {token}"}

    first = requests.get(f"{ctl.ig}/me", headers=headers).json()
    second = requests.get(f"{ctl.ig}/me", headers=headers).json()

    assert (first["error"]["code"], first["error"]["error_subcode"]) == (190, 463)
    assert second["username"] == "ifma.saoluis"


def test_a_token_on_the_wrong_host_cannot_be_parsed(ctl: Control) -> None:
    error = requests.get(f"{ctl.fb}/me", params={"access_token": ctl.token()}).json()["error"]
    assert error["code"] == 190
    assert error["message"] == "Invalid OAuth access token - Cannot parse access token"


def test_following_next_reads_every_media_exactly_once(ctl: Control) -> None:
    token = ctl.token()
    count = requests.get(f"{ctl.ig}/me", params={"access_token": token}).json()["media_count"]
    url: str | None = f"{ctl.ig}/{SAO_LUIS}/media"
    params: dict[str, str] | None = {"access_token": token, "fields": "id,timestamp", "limit": "100"}
    ids, pages = [], []
    while url:
        page = requests.get(url, params=params).json()
        params = None
        pages.append(page)
        ids += [item["id"] for item in page["data"]]
        url = page["paging"].get("next")

    assert len(ids) == len(set(ids)) == count
    assert all(p["paging"]["cursors"]["after"] for p in pages)
    assert "next" not in pages[-1]["paging"]
    stamps = [item["timestamp"] for p in pages for item in p["data"]]
    assert stamps == sorted(stamps, reverse=True)


def test_default_page_size_before_cursor_and_time_window(ctl: Control) -> None:
    token = ctl.token()
    first = requests.get(f"{ctl.ig}/me/media", params={"access_token": token}).json()
    assert len(first["data"]) == 25 and set(first["data"][0]) == {"id"}
    second = requests.get(first["paging"]["next"]).json()
    back = requests.get(second["paging"]["previous"]).json()
    assert back["data"] == first["data"]

    now = int(time.time())
    window = {
        "access_token": token,
        "fields": "timestamp",
        "since": now - 60 * 86400,
        "until": now - 30 * 86400,
        "limit": 100,
    }
    data = requests.get(f"{ctl.ig}/me/media", params=window).json()["data"]
    assert data
    for item in data:
        stamp = datetime.strptime(item["timestamp"], "%Y-%m-%dT%H:%M:%S%z").timestamp()
        assert now - 60 * 86400 <= stamp <= now - 30 * 86400


def test_a_dead_metric_fails_the_whole_request_with_code_100(ctl: Control) -> None:
    token = ctl.token()
    media = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "limit": 3}).json()
    media_id = media["data"][2]["id"]

    response = requests.get(
        f"{ctl.ig}/{media_id}/insights", params={"access_token": token, "metric": "reach,impressions"}
    )

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == 100
    assert "does not support the impressions metric" in error["message"]


def test_insight_rules_by_media_product_type(ctl: Control) -> None:
    token = ctl.token()
    fields = "id,media_type,media_product_type,timestamp,children{id}"
    media = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "fields": fields, "limit": 60}).json()[
        "data"
    ]
    reel = next(m for m in media[1:] if m["media_product_type"] == "REELS")
    album = next(m for m in media[1:] if m["media_type"] == "CAROUSEL_ALBUM")

    def insights(media_id: str, metric: str) -> dict:
        params = {"access_token": token, "metric": metric}
        return requests.get(f"{ctl.ig}/{media_id}/insights", params=params).json()

    assert insights(reel["id"], "reach,follows")["error"]["code"] == 100
    assert insights(album["id"], "ig_reels_avg_watch_time")["error"]["code"] == 100
    assert insights(album["children"]["data"][0]["id"], "reach")["error"]["code"] == 100
    names = {row["name"] for row in insights(reel["id"], "reach,views,shares")["data"]}
    assert names == {"reach", "views", "shares"}
    assert insights(media[0]["id"], "reach")["data"] == []  # younger than an hour

    stories = requests.get(f"{ctl.ig}/me/stories", params={"access_token": token}).json()["data"]
    assert insights(stories[0]["id"], "saved")["error"]["code"] == 100
    assert insights(stories[-1]["id"], "reach")["error"]["code"] == 10  # under 5 viewers


def test_one_unsupported_metric_fails_the_whole_expanded_page(ctl: Control) -> None:
    token = ctl.token()
    bad = {"access_token": token, "fields": "id,insights.metric(reach,follows)", "limit": 50}
    good = {"access_token": token, "fields": "id,insights.metric(reach,views,shares)", "limit": 50}

    assert requests.get(f"{ctl.ig}/me/media", params=bad).json()["error"]["code"] == 100
    assert len(requests.get(f"{ctl.ig}/me/media", params=good).json()["data"]) == 50


def test_account_insights_and_the_30_day_cap(ctl: Control) -> None:
    token = ctl.token()
    now = int(time.time())
    params = {
        "access_token": token,
        "metric": "reach,views,accounts_engaged",
        "period": "day",
        "metric_type": "total_value",
        "since": now - 7 * 86400,
        "until": now,
    }
    data = requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=params).json()["data"]
    assert [row["name"] for row in data] == ["reach", "views", "accounts_engaged"]
    assert all(row["total_value"]["value"] > 0 for row in data)

    too_long = dict(params, since=now - 40 * 86400)
    error = requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=too_long).json()["error"]
    assert error["code"] == 100 and "30 days" in error["message"]


def test_it_answers_follower_count_per_day_for_the_last_30_days_without_the_current_one(ctl: Control) -> None:
    token = ctl.token()
    now = int(time.time())
    today = (now - 7 * 3600) // 86400  # Meta's insights days end at midnight in California
    params = {"access_token": token, "metric": "follower_count", "period": "day", "until": now}

    body = requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=dict(params, since=now - 29 * 86400)).json()
    (series,) = body["data"]
    assert (series["name"], series["period"]) == ("follower_count", "day")
    ends = [datetime.strptime(point["end_time"], "%Y-%m-%dT%H:%M:%S%z") for point in series["values"]]
    assert len(ends) == 29 and all(isinstance(point["value"], int) for point in series["values"])
    assert ends[-1].timestamp() == today * 86400 + 7 * 3600  # yesterday's end: the current day has none
    assert all(later.timestamp() - earlier.timestamp() == 86400 for earlier, later in pairwise(ends))

    within_30_days_of_each_other = dict(params, since=now - 40 * 86400, until=now - 38 * 86400)
    older = requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=within_30_days_of_each_other).json()
    assert older["error"]["code"] == 100
    assert older["error"]["message"] == (
        "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day"
    )
    totals = dict(params, metric="follower_count", metric_type="total_value", since=now - 86400)
    assert "time_series" in requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=totals).json()["error"]["message"]


def test_past_days_give_one_total_each_and_nothing_older_than_two_years(ctl: Control) -> None:
    token = ctl.token()
    midnight = int(time.time()) // 86400 * 86400
    params = {"access_token": token, "metric": "views,accounts_engaged", "period": "day", "metric_type": "total_value"}

    for back in (1, 20, 89):
        window = {"since": midnight - (back + 1) * 86400, "until": midnight - back * 86400}
        data = requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=dict(params, **window)).json()["data"]
        assert [(row["name"], row["period"]) for row in data] == [("views", "day"), ("accounts_engaged", "day")]
        assert all(row["total_value"]["value"] > 0 and "values" not in row for row in data)

    ancient = {"since": midnight - 800 * 86400, "until": midnight - 799 * 86400}
    error = requests.get(f"{ctl.ig}/{SAO_LUIS}/insights", params=dict(params, **ancient)).json()["error"]
    assert error["code"] == 100 and error["message"].startswith("(#100) since param is not valid")


def test_media_pages_carry_each_media_s_newest_comments_with_their_replies(ctl: Control) -> None:
    token = ctl.token()
    fields = "id,comments_count,comments.limit(5){id,text,timestamp,username,replies{id,text,parent_id}}"
    media = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "fields": fields, "limit": 20}).json()

    commented = [m for m in media["data"] if m.get("comments")]
    assert commented and all(len(m["comments"]["data"]) <= 5 for m in commented)
    assert any("next" in m["comments"]["paging"] for m in commented)  # the rest: the media's comments edge
    for item in commented:
        times = [c["timestamp"] for c in item["comments"]["data"]]
        assert times == sorted(times, reverse=True)  # the newest first
    replies = [r for m in commented for c in m["comments"]["data"] for r in (c.get("replies") or {}).get("data", [])]
    assert replies and all(r["parent_id"] for r in replies)


def test_the_call_counter_counts_each_call_and_resets(ctl: Control) -> None:
    token = ctl.token()
    for _ in range(3):
        requests.get(f"{ctl.ig}/{SAO_LUIS}/media", params={"access_token": token})
    ctl("GET", "accounts")  # control calls are not counted

    calls = ctl("GET", "calls", params={"token": token})
    assert calls["total"] == 3
    assert calls["by_endpoint"] == {"GET graph.instagram.com /{ig-user-id}/media": 3}
    ctl("POST", "calls/reset")
    assert ctl("GET", "calls")["total"] == 0


def test_a_batch_answers_each_operation_and_counts_them(ctl: Control) -> None:
    token = ctl.token("facebook", "10000000000000001")
    media = requests.get(f"{ctl.fb}/{SAO_LUIS}/media", params={"access_token": token, "limit": 3}).json()["data"]
    ctl("POST", "calls/reset")
    batch = [
        {"method": "GET", "relative_url": f"{media[2]['id']}/insights?metric=reach,views"},
        {"method": "GET", "relative_url": f"{media[2]['id']}/insights?metric=impressions"},
        {"method": "GET", "relative_url": "me?fields=id,name"},
    ]
    answer = requests.post(f"{ctl.fb}/", data={"access_token": token, "batch": json.dumps(batch)})

    results = answer.json()
    assert [r["code"] for r in results] == [200, 400, 200]
    assert {row["name"] for row in json.loads(results[0]["body"])["data"]} == {"reach", "views"}
    assert json.loads(results[1]["body"])["error"]["code"] == 100
    assert json.loads(results[2]["body"])["name"] == "Pesquisadora IFMA"
    assert ctl("GET", "calls")["total"] == 3

    too_many = requests.post(f"{ctl.fb}/", data={"access_token": token, "batch": json.dumps(batch * 17)}).json()
    assert too_many["error"]["type"] == "GraphBatchException"
    assert "Maximum batch size is 50" in too_many["error"]["message"]


def test_page_tokens_and_the_linked_account(ctl: Control) -> None:
    token = ctl.token("facebook", "10000000000000001")
    fields = "id,name,access_token,category,tasks,instagram_business_account{id,username}"
    pages = requests.get(f"{ctl.fb}/me/accounts", params={"access_token": token, "fields": fields}).json()["data"]

    assert pages[0]["instagram_business_account"] == {"id": SAO_LUIS, "username": "ifma.saoluis"}
    debug = requests.get(
        f"{ctl.fb}/debug_token",
        params={"input_token": pages[0]["access_token"], "access_token": "100000000000001|sandbox-meta-app-secret"},
    ).json()["data"]
    assert (debug["type"], debug["expires_at"], debug["is_valid"]) == ("PAGE", 0, True)


def test_a_rate_limit_rule_sets_the_headers_to_100(ctl: Control) -> None:
    token = ctl.token()
    ctl(
        "POST", "failures", json={"account": "ifma.saoluis", "mode": "rate_limited", "code": 80002, "regain_minutes": 7}
    )
    response = requests.get(f"{ctl.ig}/me/media", params={"access_token": token})

    assert response.json()["error"]["code"] == 80002
    usage = json.loads(response.headers["X-Business-Use-Case-Usage"])[SAO_LUIS][0]
    assert (usage["call_count"], usage["estimated_time_to_regain_access"]) == (100, 7)


def test_a_hundred_thousand_media_account_is_quick(ctl: Control) -> None:
    started = time.monotonic()
    account = ctl("POST", "accounts", json={"username": "bench.ifma", "media": 100_000, "comments_per_media": 3})
    assert time.monotonic() - started < 3
    assert account["media_count"] == 100_000

    token = ctl.token(account="bench.ifma")
    params = {"access_token": token, "fields": "id,comments_count", "limit": 100}
    page = requests.get(f"{ctl.ig}/me/media", params=params).json()
    assert len(page["data"]) == 100 and page["data"][5]["comments_count"] == 3
