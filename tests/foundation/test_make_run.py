"""`make run`'s launcher from a newcomer's point of view: one command brings up the web app, the
sandbox, a worker and beat on SQLite, with Redis or without it, starts again a worker or beat that
someone killed while the site stays up, and the demo data gets collected."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import requests

from tests.foundation.launcher import ROOT, MakeRun, start_make_run, wait
from tests.sandbox_process import free_port

BACKFILLED = "SELECT count(*) FROM collector_profile WHERE platform = ? AND backfill_finished_at IS NOT NULL"


def _pids(output: str, name: str) -> list[int]:
    return [int(pid) for pid in re.findall(rf"run: {name} started \(pid (\d+)\)", output)]


def _everything_answers(run: MakeRun) -> None:
    wait(lambda: requests.get(run.url(), timeout=2).ok, 120, "the web app answered")
    assert requests.get(run.sandbox_url("/_sandbox/accounts"), timeout=2).ok
    health = wait(lambda: (r := requests.get(run.url("/healthz"), timeout=5)).ok and r.json(), 60, "healthy")
    assert health["database"]["ok"] and health["redis"]["ok"] and health["worker"]["ok"]


def test_one_command_starts_everything_restarts_a_killed_worker_and_beat_and_collects_the_demo_accounts(
    tmp_path: Path, private_redis: str
) -> None:
    run = start_make_run(tmp_path, private_redis)
    try:
        _everything_answers(run)
        wait(lambda: run.output().count("ready.") >= 1, 60, "the worker was ready")
        for name, signum in (("worker", signal.SIGKILL), ("beat", signal.SIGTERM)):
            os.kill(_pids(run.output(), name)[-1], signum)
            wait(lambda name=name: len(_pids(run.output(), name)) == 2, 30, f"the {name} was started again")
            assert requests.get(run.url(), timeout=5).ok, f"the site answers while the {name} restarts"
        wait(lambda: run.query(BACKFILLED, "instagram")[0][0] >= 3, 180, "the demo accounts were backfilled")
        assert run.process.poll() is None
    finally:
        run.stop()
    output = run.output()
    assert f"SocialDataLab is up at {run.url()}" in output
    assert "embedded filesystem broker" not in output
    assert "run: worker exited (signal SIGKILL); starting it again" in output
    assert re.search(r"run: beat exited \(.*\); starting it again", output)
    assert "stopping the rest" not in output


def test_without_redis_one_command_starts_everything_on_an_embedded_broker_and_collects_the_demo_accounts(
    tmp_path: Path,
) -> None:
    # Nothing answers at REDIS_URL and no redis-server can be found to start.
    run = start_make_run(tmp_path, f"redis://127.0.0.1:{free_port()}/0", PATH="/nonexistent")
    try:
        _everything_answers(run)
        wait(lambda: run.query(BACKFILLED, "instagram")[0][0] >= 3, 180, "the demo accounts were backfilled")
    finally:
        run.stop()
    assert "embedded filesystem broker" in run.output()
    assert not (ROOT / "control").exists(), "the embedded broker's files belong under var/"
