"""The rate governor's pauses are shared: what one worker learns from Meta stops the others."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from meta.errors import RateLimited
from meta.ratelimit import Paused, RedisGovernor


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own, removed afterwards (other suites share the Redis db)."""
    name = f"test:rl:{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def governor(prefix: str, account: str) -> RedisGovernor:
    """Each call is a new governor, as each worker process builds its own."""
    return RedisGovernor(redis.Redis.from_url(settings.REDIS_URL), account=account, app="app-1", prefix=prefix)


def test_it_refuses_another_workers_call_after_a_rate_limit_error_for_the_account(prefix: str) -> None:
    governor(prefix, "ig-1").after_response({}, RateLimited("User request limit reached", code=17))

    with pytest.raises(Paused) as refused:
        governor(prefix, "ig-1").before_call()
    assert refused.value.retry_after > 0
    governor(prefix, "ig-2").before_call()  # an account-level code leaves the other accounts alone


def test_it_pauses_every_account_when_x_app_usage_alone_is_above_95_percent(prefix: str) -> None:
    usage = {"X-App-Usage": json.dumps({"call_count": 97, "total_cputime": 12, "total_time": 20})}
    governor(prefix, "ig-1").after_response(usage, None)

    for account in ("ig-1", "ig-2"):
        with pytest.raises(Paused):
            governor(prefix, account).before_call()


def test_it_keeps_calling_when_x_app_usage_is_at_95_percent_or_below(prefix: str) -> None:
    governor(prefix, "ig-1").after_response({"X-App-Usage": json.dumps({"call_count": 95})}, None)

    assert governor(prefix, "ig-2").paused_for() == 0
