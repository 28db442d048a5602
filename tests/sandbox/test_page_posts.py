"""The Facebook Page's posts and insights, shaped as Graph v25.0 answers them."""

from __future__ import annotations

from datetime import datetime, timedelta

import requests

from .conftest import Control

PAGE_ID = "20000000000000001"
POST_FIELDS = (
    "id,message,created_time,permalink_url,full_picture,status_type,attachments{media_type,type},shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
    "insights.metric(post_media_view,post_total_media_view_unique,post_reactions_by_type_total)"
)
PAGE_METRICS = "page_media_view,page_total_media_view_unique,page_post_engagements,page_follows"


def page_token(ctl: Control, **options: object) -> str:
    return str(ctl("POST", "tokens", json={"login": "facebook", "account": PAGE_ID, **options})["page_access_token"])


def test_it_lists_the_pages_posts_newest_first_with_counts_and_insights(ctl: Control) -> None:
    token = page_token(ctl)
    body = requests.get(
        f"{ctl.fb}/{PAGE_ID}/published_posts", params={"access_token": token, "fields": POST_FIELDS, "limit": 10}
    ).json()

    posts = body["data"]
    assert len(posts) == 10 and body["paging"]["next"] and body["paging"]["cursors"]["after"]
    times = [datetime.strptime(p["created_time"], "%Y-%m-%dT%H:%M:%S%z") for p in posts]
    assert times == sorted(times, reverse=True)
    first = posts[0]
    assert first["id"].startswith(f"{PAGE_ID}_")
    assert first["message"] and "/www.facebook.com/" in first["permalink_url"]
    assert first["reactions"] == {
        "data": [],
        "summary": {"total_count": first["reactions"]["summary"]["total_count"], "viewer_reaction": "NONE"},
    }
    assert first["comments"]["summary"]["total_count"] >= 0 and first["comments"]["summary"]["can_comment"] is True
    insights = {item["name"]: item for item in first["insights"]["data"]}
    assert insights["post_media_view"]["period"] == "lifetime"
    assert insights["post_media_view"]["id"] == f"{first['id']}/insights/post_media_view/lifetime"
    assert insights["post_total_media_view_unique"]["values"][0]["value"] > 0
    assert isinstance(insights["post_reactions_by_type_total"]["values"][0]["value"], dict)
    assert all("count" in p["shares"] for p in posts if "shares" in p)  # absent when nobody shared


def test_a_retired_impressions_metric_fails_the_whole_request(ctl: Control) -> None:
    token = page_token(ctl)
    fields = "id,insights.metric(post_impressions,post_media_view)"
    posts = requests.get(f"{ctl.fb}/{PAGE_ID}/posts", params={"access_token": token, "fields": fields}).json()
    page = requests.get(
        f"{ctl.fb}/{PAGE_ID}/insights", params={"access_token": token, "metric": "page_fans", "period": "day"}
    ).json()

    assert posts["error"]["code"] == 100 and "valid insights metric" in posts["error"]["message"]
    assert page["error"]["code"] == 100


def test_page_insights_give_one_value_per_complete_day(ctl: Control) -> None:
    token = page_token(ctl)
    until = datetime.now().astimezone().replace(hour=12)
    since = until - timedelta(days=10)
    params = {
        "access_token": token,
        "metric": PAGE_METRICS,
        "period": "day",
        "since": int(since.timestamp()),
        "until": int(until.timestamp()),
    }
    body = requests.get(f"{ctl.fb}/{PAGE_ID}/insights", params=params).json()

    metrics = {item["name"]: item for item in body["data"]}
    assert list(metrics) == PAGE_METRICS.split(",")
    views = metrics["page_media_view"]
    assert views["period"] == "day" and views["id"] == f"{PAGE_ID}/insights/page_media_view/day"
    assert 9 <= len(views["values"]) <= 11
    assert all(v["end_time"].endswith("T08:00:00+0000") and v["value"] > 0 for v in views["values"])
    follows = [v["value"] for v in metrics["page_follows"]["values"]]
    assert follows[-1] <= 19876 + 100 and len(set(follows)) > 1  # the follower count moves day by day
    assert body["paging"]["previous"] and body["paging"]["next"]


def test_page_insights_need_read_insights_and_stay_within_90_days(ctl: Control) -> None:
    without = page_token(ctl, scopes=["pages_show_list", "pages_read_engagement"])
    token = page_token(ctl)
    now = int(datetime.now().timestamp())
    denied = requests.get(f"{ctl.fb}/{PAGE_ID}/insights", params={"access_token": without, "metric": "page_follows"})
    too_long = requests.get(
        f"{ctl.fb}/{PAGE_ID}/insights",
        params={"access_token": token, "metric": "page_follows", "since": now - 100 * 86400, "until": now},
    )

    assert denied.json()["error"]["code"] == 10
    assert too_long.json()["error"]["code"] == 100


def test_a_single_post_and_its_insights_edge(ctl: Control) -> None:
    token = page_token(ctl)
    first = requests.get(f"{ctl.fb}/{PAGE_ID}/posts", params={"access_token": token}).json()["data"][0]
    post = requests.get(f"{ctl.fb}/{first['id']}", params={"access_token": token, "fields": "id,message"}).json()
    insights = requests.get(
        f"{ctl.fb}/{first['id']}/insights", params={"access_token": token, "metric": "post_media_view"}
    ).json()
    calls = ctl("GET", "calls")["by_endpoint"]

    assert set(first) == {"id", "message", "created_time"}  # Meta's default fields
    assert post["id"] == first["id"] and post["message"] == first["message"]
    assert insights["data"][0]["name"] == "post_media_view"
    assert calls["GET graph.facebook.com /{post-id}/insights"] == 1
