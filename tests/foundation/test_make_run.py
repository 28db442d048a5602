"""`make run`'s launcher from a newcomer's point of view: one command brings up the web app, the
sandbox, a worker and beat on SQLite, with Redis or without it, and the demo data gets collected."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis as redis_client
import requests

from tests.sandbox_process import free_port

ROOT = Path(__file__).resolve().parents[2]
RUN_REDIS_URL = "redis://127.0.0.1:6379/12"


def _wait(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (requests.RequestException, sqlite3.Error):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout:.0f}s")


@pytest.mark.parametrize("redis", ["available", "absent"])
def test_one_command_starts_everything_and_collects_the_demo_accounts(redis, tmp_path):
    web, sandbox = free_port(), free_port()
    database = tmp_path / "run.sqlite3"
    inherited = {"DATABASE_URL", "META_SANDBOX_URL", "DEBUG", "SITE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in inherited}
    environment.update(WEB_PORT=str(web), SANDBOX_PORT=str(sandbox), DATABASE_URL=f"sqlite:///{database}")
    if redis == "absent":  # nothing answers there and no redis-server can be found to start
        environment.update(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", PATH="/nonexistent")
    else:  # a Redis database of its own: the suite's worker must not take this run's tasks
        environment.update(REDIS_URL=RUN_REDIS_URL)
        redis_client.Redis.from_url(RUN_REDIS_URL).flushdb()
    log = (tmp_path / "run.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "scripts/run.py"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait(lambda: requests.get(f"http://127.0.0.1:{web}/", timeout=2).ok, 120, "the web app answered")
        assert requests.get(f"http://127.0.0.1:{sandbox}/_sandbox/accounts", timeout=2).ok
        health = _wait(
            lambda: (r := requests.get(f"http://127.0.0.1:{web}/healthz", timeout=5)).ok and r.json(), 60, "healthy"
        )
        assert health["database"]["ok"] and health["redis"]["ok"] and health["worker"]["ok"]

        def collected_instagram_accounts() -> bool:
            with sqlite3.connect(database) as db:
                query = "SELECT count(*) FROM collector_profile WHERE platform = ? AND backfill_finished_at IS NOT NULL"
                return db.execute(query, ["instagram"]).fetchone()[0] >= 3

        _wait(collected_instagram_accounts, 180, "the demo accounts were backfilled")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    output = (tmp_path / "run.log").read_text()
    assert f"SocialDataLab is up at http://127.0.0.1:{web}/" in output
    assert ("embedded filesystem broker" in output) == (redis == "absent")
    assert not (ROOT / "control").exists(), "the embedded broker's files belong under var/"
