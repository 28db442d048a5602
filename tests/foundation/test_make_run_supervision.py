"""`make run` under a supervisor: stopped by one TERM to its process group and a KILL after the
grace period (timeout -k, systemd, container stops). A worker or beat killed by someone: test_make_run.py."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.foundation.launcher import port_answers, start_make_run, wait

BACKFILL_RUNNING = "SELECT count(*) FROM collector_collectionrun WHERE kind = 'backfill' AND finished_at IS NULL"


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
