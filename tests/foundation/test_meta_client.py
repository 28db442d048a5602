"""meta.client against the sandbox: the shapes of reference §3-§9 and the error taxonomy of §8.3."""

import pytest

from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH, INSTAGRAM_GRAPH
from meta.errors import RateLimited, TokenInvalid, UnsupportedMetric

IFMA_SAO_LUIS = "17841400000000001"


@pytest.fixture
def instagram(sandbox) -> GraphClient:
    token = sandbox.mint_token("instagram", "ifma.saoluis")["access_token"]
    return GraphClient(token, host=INSTAGRAM_GRAPH)


def test_it_reads_the_instagram_user_fields_with_a_valid_token(instagram):
    me = instagram.get("me", {"fields": "user_id,username,account_type,followers_count,follows_count,media_count"})

    assert me["user_id"] == IFMA_SAO_LUIS
    assert me["username"] == "ifma.saoluis"
    assert me["account_type"] in {"BUSINESS", "MEDIA_CREATOR"}
    assert isinstance(me["followers_count"], int) and me["media_count"] >= 300


def test_an_expired_token_raises_token_invalid_with_metas_code_and_subcode(sandbox, instagram):
    sandbox.fail(token=instagram.access_token, mode="expired")

    with pytest.raises(TokenInvalid) as error:
        instagram.get("me", {"fields": "username"})

    assert (error.value.code, error.value.subcode) == (190, 463)
    assert "Session has expired" in error.value.message


def test_an_instagram_login_token_is_refused_on_the_facebook_host(sandbox, instagram):
    on_wrong_host = GraphClient(instagram.access_token, host=FACEBOOK_GRAPH)

    with pytest.raises(TokenInvalid) as error:
        on_wrong_host.get("me")

    assert "Cannot parse access token" in error.value.message


def test_paging_follows_next_until_every_media_is_read(instagram):
    media_count = instagram.get("me", {"fields": "media_count"})["media_count"]
    pages = list(instagram.paginate(f"{IFMA_SAO_LUIS}/media", {"fields": "id,timestamp", "limit": 100}))

    ids = [item["id"] for page in pages for item in page["data"]]
    assert len(ids) == len(set(ids)) == media_count
    assert all("next" in page["paging"] for page in pages[:-1])
    assert "next" not in pages[-1]["paging"]
    assert pages[0]["paging"]["cursors"]["after"]


def test_a_dead_metric_fails_the_whole_request_with_error_100(instagram):
    media_id = instagram.get(f"{IFMA_SAO_LUIS}/media", {"limit": 1})["data"][0]["id"]

    with pytest.raises(UnsupportedMetric) as error:
        instagram.get(f"{media_id}/insights", {"metric": "reach,impressions"})

    assert error.value.code == 100


def test_a_transient_failure_is_retried_and_succeeds(sandbox, instagram):
    sandbox.fail(token=instagram.access_token, mode="transient", times=1)
    sandbox.reset_calls()

    me = instagram.get("me", {"fields": "username"})

    assert me["username"] == "ifma.saoluis"
    assert sandbox.calls(token=instagram.access_token)["total"] == 2


def test_a_rate_limit_raises_with_metas_regain_time(sandbox, instagram):
    sandbox.fail(account=IFMA_SAO_LUIS, mode="rate_limited", code=80002, regain_minutes=7)

    with pytest.raises(RateLimited) as error:
        instagram.get(f"{IFMA_SAO_LUIS}/media")

    assert error.value.code == 80002
    assert error.value.retry_after == pytest.approx(7 * 60)


def test_the_call_counter_counts_each_call_and_resets(sandbox, instagram):
    sandbox.reset_calls()
    for _ in range(3):
        instagram.get("me", {"fields": "username"})

    assert sandbox.calls(token=instagram.access_token)["total"] == 3
    sandbox.reset_calls()
    assert sandbox.calls()["total"] == 0


def test_a_batch_runs_each_operation_and_reports_failures_one_by_one(sandbox):
    token = sandbox.mint_token("facebook", "10000000000000001")["access_token"]
    client = GraphClient(token, host=FACEBOOK_GRAPH)
    media = client.get(f"{IFMA_SAO_LUIS}/media", {"limit": 2})["data"]

    results = client.batch(
        [
            {"method": "GET", "relative_url": f"{media[0]['id']}/insights?metric=reach,views"},
            {"method": "GET", "relative_url": f"{media[1]['id']}/insights?metric=impressions"},
        ]
    )

    assert {row["name"] for row in results[0]["data"]} <= {"reach", "views"}
    assert isinstance(results[1], UnsupportedMetric)
