"""The rate governor: Meta's usage headers and our own hourly budget, shared through Redis.

Every worker on every machine sees the same numbers, because they live in Redis, not in a
process. Before each call the governor:

- refuses it (RateLimited, no HTTP call made) while the account or the app is paused, or
  when the account has spent its call budget in the last window (default 200 an hour);
- sleeps a little when Meta's last reported usage is above 80 %, more the closer to 100.

After each response it stores the X-App-Usage / X-Business-Use-Case-Usage readings, and
pauses until Meta's estimated regain time: the account when its X-Business-Use-Case-Usage is
above 95 % or on a rate-limit error (4/17/32/613/80001/80002); the app too (so every account)
when X-App-Usage is above 95 % or the error code is app-level (Meta throttles the whole app at
100 % of X-App-Usage: meta-graph-reference.md §8). Callers catch RateLimited and retry at
`retry_after`; the work is postponed, never failed.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from meta.client import regain_seconds
from meta.errors import MetaError, RateLimited

logger = logging.getLogger(__name__)

SLOW_DOWN_AT = 80
PAUSE_AT = 95
APP_LEVEL_CODES = frozenset({4})
USAGE_TTL = 3600

# Atomically: drop calls older than the window, refuse if the budget is spent (answering how
# long until the oldest call leaves the window), else record this call.
_TAKE = """
local key, now, window, budget, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= budget then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, member)
redis.call('EXPIRE', key, math.ceil(window) + 1)
return '0'
"""


class BudgetExhausted(RateLimited):
    """Our own per-account budget is spent: no call was made."""


class Paused(RateLimited):
    """Meta told us to wait: the account or the app is paused."""


def _app_percent(header: str | None) -> float | None:
    if not header:
        return None
    try:
        values = json.loads(header)
    except ValueError:
        return None
    numbers = [float(v) for v in values.values() if isinstance(v, int | float)] if isinstance(values, dict) else []
    return max(numbers, default=None)


def _business_percents(header: str | None) -> dict[str, float]:
    if not header:
        return {}
    try:
        values = json.loads(header)
    except ValueError:
        return {}
    out: dict[str, float] = {}
    for business_id, entries in values.items() if isinstance(values, dict) else []:
        numbers = [
            float(entry.get(key) or 0)
            for entry in (entries if isinstance(entries, list) else [])
            for key in ("call_count", "total_time", "total_cputime")
        ]
        out[str(business_id)] = max(numbers, default=0.0)
    return out


@dataclass
class RedisGovernor:
    """Governs the calls made for one account (an IG user or Page id) through one app."""

    redis: Any
    account: str
    app: str
    budget: int = 200
    window: float = 3600.0
    default_pause: float = 600.0
    slow_down: float = 2.0
    prefix: str = "meta:rl"

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # -- UsageGovernor -------------------------------------------------------------------
    def before_call(self) -> None:
        now = time.time()
        for scope, owner in (("account", self.account), ("app", self.app)):
            key = self._key("pause", scope, owner)
            until = self.redis.get(key)
            if until is not None and float(until) > now:
                raise Paused(f"Meta rate limit: {scope} paused", retry_after=float(until) - now)
        wait = float(
            self.redis.eval(
                _TAKE, 1, self._key("calls", self.account), now, self.window, self.budget, f"{now}:{uuid.uuid4().hex}"
            )
        )
        if wait > 0:
            raise BudgetExhausted(f"hourly call budget of {self.budget} spent for {self.account}", retry_after=wait)
        percent = self.usage()
        if percent > SLOW_DOWN_AT:
            delay = self.slow_down * (percent - SLOW_DOWN_AT) / (100 - SLOW_DOWN_AT)
            logger.info("Meta usage at %.0f%% for %s: slowing down %.1fs", percent, self.account, delay)
            time.sleep(delay)

    def after_response(self, headers: Mapping[str, str], error: MetaError | None) -> None:
        app_percent = _app_percent(headers.get("X-App-Usage"))
        business = _business_percents(headers.get("X-Business-Use-Case-Usage"))
        account_percent = max(business.values(), default=None)
        pipe = self.redis.pipeline()
        if app_percent is not None:
            pipe.set(self._key("usage", "app", self.app), app_percent, ex=USAGE_TTL)
        if account_percent is not None:
            pipe.set(self._key("usage", "account", self.account), account_percent, ex=USAGE_TTL)
        pipe.execute()
        regain = regain_seconds(headers) or self.default_pause
        app_full = (app_percent or 0) > PAUSE_AT or bool(error and error.code in APP_LEVEL_CODES)
        if app_full or isinstance(error, RateLimited) or (account_percent or 0) > PAUSE_AT:
            self.pause(regain, app_too=app_full)

    # -- state -----------------------------------------------------------------------------
    def usage(self) -> float:
        """The higher of the last app and account readings, in percent."""
        readings = self.redis.mget(self._key("usage", "app", self.app), self._key("usage", "account", self.account))
        return max((float(r) for r in readings if r is not None), default=0.0)

    def pause(self, seconds: float, *, app_too: bool = False) -> None:
        until = time.time() + seconds
        keys = [self._key("pause", "account", self.account)]
        if app_too:
            keys.append(self._key("pause", "app", self.app))
        for key in keys:
            self.redis.set(key, until, ex=max(1, int(seconds) + 1))
        logger.warning("Meta rate limit: pausing %s for %.0fs", ", ".join(keys), seconds)

    def paused_for(self) -> float:
        """Seconds until calls may resume for this account (0 if not paused)."""
        now = time.time()
        readings = self.redis.mget(self._key("pause", "account", self.account), self._key("pause", "app", self.app))
        return max([0.0, *(float(r) - now for r in readings if r is not None)])
