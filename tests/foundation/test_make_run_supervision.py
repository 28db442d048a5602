"""`make run` under a supervisor: stopped by one TERM to its process group and a KILL after the
grace period (timeout -k, systemd, container stops), and a worker or beat killed by someone."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import requests

from tests.foundation.launcher import port_answers, start_make_run, wait

BACKFILL_RUNNING = "SELECT count(*) FROM collector_collectionrun WHERE kind = 'backfill' AND finished_at IS NULL"


def _pids(output: str, name: str) -> list[int]:
    return [int(pid) for pid in re.findall(rf"run: {name} started \(pid (\d+)\)", output)]


def test_it_leaves_no_process_and_no_port_behind_when_a_supervisor_terms_then_kills_its_group(
    tmp_path: Path, private_redis: str
) -> None:
    run = start_make_run(tmp_path, private_redis)
    try:
        run.wait_until_up()
        wait(lambda: run.query(BACKFILL_RUNNING)[0][0], 90, "a backfill ran")
        run.signal_group(signal.SIGTERM)
        time.sleep(10)
        run.signal_group(signal.SIGKILL)
        wait(
            lambda: not run.group_processes() and not port_answers(run.web) and not port_answers(run.sandbox),
            5,
            "every process of make's group gone and its ports free",
        )
    finally:
        run.signal_group(signal.SIGKILL)
    output = run.output()
    assert output.count("SIGTERM received; stopping") == 1, output[-3000:]
    assert "KeyboardInterrupt" not in output and 'scripts/run.py", line' not in output, output[-3000:]


def test_it_starts_a_killed_worker_and_beat_again_while_the_site_stays_up(tmp_path: Path, private_redis: str) -> None:
    run = start_make_run(tmp_path, private_redis)
    try:
        run.wait_until_up()
        wait(lambda: run.output().count("ready.") >= 1, 60, "the worker was ready")
        for name, signum in (("worker", signal.SIGKILL), ("beat", signal.SIGTERM)):
            os.kill(_pids(run.output(), name)[-1], signum)
            wait(lambda name=name: len(_pids(run.output(), name)) == 2, 30, f"the {name} was started again")
            assert requests.get(run.url(), timeout=5).ok, f"the site answers while the {name} restarts"
        wait(lambda: run.output().count("ready.") >= 2, 60, "the new worker was ready")
        assert run.process.poll() is None
    finally:
        run.stop()
    output = run.output()
    assert "run: worker exited (signal SIGKILL); starting it again" in output
    assert re.search(r"run: beat exited \(.*\); starting it again", output)
    assert "stopping the rest" not in output
