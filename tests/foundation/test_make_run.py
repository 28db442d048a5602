"""`make run`'s launcher from a newcomer's point of view: one command brings up the web app, the
sandbox, a worker and beat on SQLite, with Redis or without it, and the demo data gets collected."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.foundation.launcher import ROOT, start_make_run, wait
from tests.sandbox_process import free_port


@pytest.mark.parametrize("redis", ["available", "absent"])
def test_one_command_starts_everything_and_collects_the_demo_accounts(
    redis: str, tmp_path: Path, private_redis: str
) -> None:
    if redis == "absent":  # nothing answers there and no redis-server can be found to start
        run = start_make_run(tmp_path, f"redis://127.0.0.1:{free_port()}/0", PATH="/nonexistent")
    else:
        run = start_make_run(tmp_path, private_redis)
    try:
        wait(lambda: requests.get(run.url(), timeout=2).ok, 120, "the web app answered")
        assert requests.get(run.sandbox_url("/_sandbox/accounts"), timeout=2).ok
        health = wait(lambda: (r := requests.get(run.url("/healthz"), timeout=5)).ok and r.json(), 60, "healthy")
        assert health["database"]["ok"] and health["redis"]["ok"] and health["worker"]["ok"]
        query = "SELECT count(*) FROM collector_profile WHERE platform = ? AND backfill_finished_at IS NOT NULL"
        wait(lambda: run.query(query, "instagram")[0][0] >= 3, 180, "the demo accounts were backfilled")
    finally:
        run.stop()
    output = run.output()
    assert f"SocialDataLab is up at {run.url()}" in output
    assert ("embedded filesystem broker" in output) == (redis == "absent")
    assert not (ROOT / "control").exists(), "the embedded broker's files belong under var/"
