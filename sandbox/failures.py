"""Failure rules injected through the control API (per token, per account, or global)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .errors import GraphError

RATE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try "
    "again. For more info, please refer to "
    "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
    80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit and "
    "try again. For more info, please refer to "
    "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
}
MODES = {"expired", "revoked", "rate_limited", "server_error", "transient", "slow"}
# Real Meta behaviours switched on through POST /_sandbox/config (docs/sandbox.md, "Real-API quirks").
QUIRKS_DEFAULTS: dict[str, Any] = {
    "ig_permissions_shape": "string",  # or "array": the code exchange's `permissions` as a JSON array
    "converted_to_business": {},  # account (username or id) -> "YYYY-MM-DD": older media answer 2108006
    "refused_fields": {},  # host -> user fields answered "Tried accessing nonexisting field"
    "reduce_data_above": 0,  # a media page `limit` above this answers code 1 "reduce the amount of data"
}


@dataclass
class Rule:
    id: int
    mode: str
    token: str | None = None
    account: str | None = None  # any key naming the account: id, username, app-scoped id, page id
    code: int | None = None
    regain_minutes: float = 15  # fractions let tests wait seconds, not minutes
    times: int | None = None
    delay: float = 1.0
    keys: set[str] = field(default_factory=set)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mode": self.mode,
            "token": self.token,
            "account": self.account,
            "code": self.code,
            "regain_minutes": self.regain_minutes,
            "times": self.times,
            "delay": self.delay,
        }


def expired_error(expires_at: float | None = None) -> GraphError:
    when = time.strftime("%A, %d-%b-%y %H:%M:%S UTC", time.gmtime(expires_at or time.time() - 60))
    now = time.strftime("%A, %d-%b-%y %H:%M:%S UTC", time.gmtime())
    return GraphError(
        190, f"Error validating access token: Session has expired on {when}. The current time is {now}.", subcode=463
    )


def revoked_error(app_id: str) -> GraphError:
    return GraphError(190, f"Error validating access token: The user has not authorized application {app_id}.")


def conversion_error() -> GraphError:
    """Insights of a media posted before the account became a business account (airbyte #1814)."""
    return GraphError(
        100,
        "Invalid parameter",
        subcode=2108006,
        is_transient=False,
        error_user_title="Media posted before business account conversion",
        error_user_msg="The media was posted before the most recent time that the user's account "
        "was converted to a business account from a personal account.",
    )


def reduce_data_error() -> GraphError:
    """Too much asked in one page (reference §4): HTTP 500, code 1, not marked transient."""
    return GraphError(
        1, "Please reduce the amount of data you're asking for, then retry your request", status=500, is_transient=False
    )


def rule_error(rule: Rule, app_id: str) -> GraphError | None:
    """The error a matching rule produces (None for `slow`)."""
    if rule.mode == "expired":
        return expired_error()
    if rule.mode == "revoked":
        return revoked_error(app_id)
    if rule.mode == "rate_limited":
        code = rule.code or 4
        message = RATE_MESSAGES.get(code, f"(#{code}) Rate limit reached")
        return GraphError(code, message, is_transient=True)
    if rule.mode == "server_error":
        return GraphError(1, "An unknown error has occurred.", status=500, is_transient=True)
    if rule.mode == "transient":
        return GraphError(2, "An unexpected error has occurred. Please retry your request later.", is_transient=True)
    return None


class Failures:
    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.next_id = 1

    def add(self, spec: dict[str, Any], keys: set[str]) -> Rule:
        mode = spec.get("mode")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {sorted(MODES)}")
        rule = Rule(
            id=self.next_id,
            mode=mode,
            token=spec.get("token"),
            account=None if spec.get("account") is None else str(spec["account"]),
            code=spec.get("code"),
            regain_minutes=_minutes(spec.get("regain_minutes", 15)),
            times=spec.get("times"),
            delay=float(spec.get("delay", 1.0)),
            keys=keys,
        )
        self.next_id += 1
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def token_rule(self, token: str) -> Rule | None:
        """An expired/revoked rule naming this token, without consuming it (debug_token reads it)."""
        return next((r for r in self.rules if r.token == token and r.mode in ("expired", "revoked")), None)

    def match(self, token: str | None, keys: set[str]) -> Rule | None:
        """The first rule that applies; consumes one of its `times`."""
        for rule in self.rules:
            if rule.token is not None and rule.token != token:
                continue
            if rule.account is not None and not (rule.keys & keys):
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self.rules.remove(rule)
            return rule
        return None


def _minutes(value: Any) -> float:
    """Whole minutes stay integers in the header, as Meta sends them; tests may ask for fractions."""
    minutes = float(value)
    return int(minutes) if minutes.is_integer() else minutes
