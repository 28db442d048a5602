"""A rate-limit rule may name a fraction of a minute, so tests can follow Meta's regain time in
seconds; whole minutes read as before."""

from __future__ import annotations

import json

import requests

from tests.sandbox.conftest import Control

SAO_LUIS = "17841400000000001"


def _regain(ctl: Control, minutes: float) -> float:
    ctl("POST", "failures", json={"account": "ifma.saoluis", "mode": "rate_limited", "regain_minutes": minutes})
    response = requests.get(f"{ctl.ig}/me/media", params={"access_token": ctl.token()}, timeout=30)
    return json.loads(response.headers["X-Business-Use-Case-Usage"])[SAO_LUIS][0]["estimated_time_to_regain_access"]


def test_a_fractional_regain_time_reaches_the_header(ctl: Control) -> None:
    assert _regain(ctl, 0.05) == 0.05


def test_a_whole_regain_time_stays_whole(ctl: Control) -> None:
    assert _regain(ctl, 7) == 7
    assert '"estimated_time_to_regain_access": 7}' in requests.get(
        f"{ctl.ig}/me/media", params={"access_token": ctl.token()}, timeout=30
    ).headers["X-Business-Use-Case-Usage"]
