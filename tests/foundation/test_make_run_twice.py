"""A second `make run` on the same clone continues the first: the sandbox kept its tokens, so an
account connected through the consent screen is still connected, and the tasks the first run left
queued finish in the second without breaking any credential."""

from __future__ import annotations

import html
import re
from pathlib import Path

import redis as redis_client
import requests

from tests.foundation.launcher import MakeRun, start_make_run, wait

PROFILE_RUNS = (
    "SELECT count(*) FROM collector_collectionrun r JOIN collector_profile p ON p.id = r.profile_id "
    "WHERE p.meta_id = ? AND r.finished_at IS NULL"
)
PROFILE_MEDIA = (
    "SELECT count(*) FROM collector_media m JOIN collector_profile p ON p.id = m.profile_id WHERE p.meta_id = ?"
)
CREDENTIAL_STATUS = (
    "SELECT c.status FROM accounts_credential c JOIN collector_profile p ON p.credential_id = c.id "
    "WHERE p.meta_id = ?"
)


def connect_through_consent(run: MakeRun, account_id: str) -> None:
    """"Continue with Instagram" on the landing page, then Allow on Meta's consent screen for the account."""
    session = requests.Session()
    home = session.get(run.url("/"), timeout=10).text
    action = re.search(r'<form method="post" action="([^"]+)">[^<]*<input[^>]*value="([^"]+)"[^>]*>\s*<button[^>]*'
                       r'id="continue-instagram"', home)  # fmt: skip
    assert action, "the landing page offers “Continue with Instagram”"
    consent = session.post(
        run.url(action.group(1)), data={"csrfmiddlewaretoken": action.group(2)}, headers={"Referer": run.url("/")}
    )
    fields = re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', consent.text)
    hidden = [(name, html.unescape(value)) for name, value in fields]
    granted = [("granted", scope) for scope in re.findall(r'name="granted" value="([^"]+)"', consent.text)]
    assert granted, consent.text[:500]
    done = session.post(consent.url, data=[*hidden, ("account", account_id), *granted, ("decision", "allow")])
    assert done.ok and "/dashboard" in done.url, done.url


def test_it_continues_in_a_second_run_with_the_account_connected_through_the_consent_screen_in_the_first(
    tmp_path: Path, private_redis: str
) -> None:
    first = start_make_run(tmp_path, private_redis, name="first")
    try:
        first.wait_until_up()
        new = {"username": "lab.restart", "media": 1500}
        account = requests.post(first.sandbox_url("/_sandbox/accounts"), json=new, timeout=60).json()["id"]
        connect_through_consent(first, account)
        wait(lambda: first.query(PROFILE_RUNS, account)[0][0], 60, "the account's backfill ran")
    finally:
        first.stop()
    queue = redis_client.Redis.from_url(private_redis)
    assert queue.llen("collect") + queue.hlen("unacked") > 0, "the first run left collection tasks queued"
    collected = first.query(PROFILE_MEDIA, account)[0][0]

    second = start_make_run(tmp_path, private_redis, name="second")
    try:
        second.wait_until_up()
        wait(lambda: second.query(PROFILE_MEDIA, account)[0][0] > collected, 90, "the account collected more media")
        assert second.query(CREDENTIAL_STATUS, account) == [("active",)]
        statuses = {status for (status,) in second.query("SELECT status FROM accounts_credential")}
        assert statuses == {"active"}, "no credential, the demo's included, was broken by the queued tasks"
    finally:
        second.stop()
    assert "sandbox: state loaded from" in second.output()
