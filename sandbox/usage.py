"""Call counter and the X-App-Usage / X-Business-Use-Case-Usage headers."""

from __future__ import annotations

import json
import time
from collections import Counter, deque

HOUR = 3600
CALLS_PER_HOUR = 200  # per account (BUC) and per active user (app level)


class Usage:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.total = 0
        self.by_endpoint: Counter[str] = Counter()
        self.by_token: Counter[str] = Counter()
        self.by_token_endpoint: dict[str, Counter[str]] = {}
        self.app_calls: deque[float] = deque()
        self.business_calls: dict[str, deque[float]] = {}
        self.users_seen: dict[str, float] = {}

    def record(self, endpoint: str, token: str | None, business_id: str | None) -> None:
        now = time.time()
        self.total += 1
        self.by_endpoint[endpoint] += 1
        if token:
            self.by_token[token] += 1
            self.by_token_endpoint.setdefault(token, Counter())[endpoint] += 1
            self.users_seen[token] = now
        self.app_calls.append(now)
        if business_id:
            self.business_calls.setdefault(business_id, deque()).append(now)

    def snapshot(self, token: str | None = None) -> dict[str, object]:
        if token is not None:
            return {
                "total": self.by_token.get(token, 0),
                "by_endpoint": dict(self.by_token_endpoint.get(token, {})),
                "by_token": {token: self.by_token.get(token, 0)},
            }
        return {"total": self.total, "by_endpoint": dict(self.by_endpoint), "by_token": dict(self.by_token)}

    @staticmethod
    def _recent(calls: deque[float], now: float) -> int:
        while calls and calls[0] < now - HOUR:
            calls.popleft()
        return len(calls)

    def headers(
        self, business_id: str | None, business_type: str, limited: tuple[int, int] | None = None
    ) -> dict[str, str]:
        """Usage headers; `limited` = (percent, regain minutes) forces a throttled reading."""
        now = time.time()
        users = max(1, sum(1 for t in self.users_seen.values() if t >= now - HOUR))
        app_pct = min(100, self._recent(self.app_calls, now) * 100 // (CALLS_PER_HOUR * users))
        regain = 0
        if limited:
            app_pct, regain = max(app_pct, limited[0]), limited[1]
        app = {"call_count": app_pct, "total_time": app_pct // 2, "total_cputime": app_pct // 3}
        out = {"X-App-Usage": json.dumps(app)}
        if business_id:
            calls = self.business_calls.get(business_id, deque())
            pct = min(100, self._recent(calls, now) * 100 // CALLS_PER_HOUR)
            if limited:
                pct = max(pct, limited[0])
            out["X-Business-Use-Case-Usage"] = json.dumps(
                {
                    business_id: [
                        {
                            "type": business_type,
                            "call_count": pct,
                            "total_cputime": pct // 3,
                            "total_time": pct // 2,
                            "estimated_time_to_regain_access": regain,
                        }
                    ]
                }
            )
        return out
