"""Running `make run` as a person does, from the suite: free ports, a SQLite file, a private Redis,
the process group of make (so a test can signal it as a supervisor would) and what it printed."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests

from tests.sandbox_process import free_port
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
INHERITED = {"DATABASE_URL", "META_SANDBOX_URL", "DEBUG", "SITE_URL", "REDIS_URL", "SANDBOX_STATE_FILE"}
T = TypeVar("T")


def wait(check: Callable[[], T], timeout: float, what: str) -> T:
    """A wait on `make run`: its web server and database may answer with errors while starting."""
    return wait_for(check, timeout, what, every=0.5, ignoring=(requests.RequestException, sqlite3.Error))


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A redis-server of the test's own (nothing saved), so no run takes another's tasks."""
    port = free_port()
    process = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait(lambda: port_answers(port), 10, "the test's redis-server answered")
    except AssertionError:
        process.kill()  # a server that never answered must not outlive the test
        process.wait()
        raise
    return process, f"redis://127.0.0.1:{port}/0"


def port_answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@dataclass
class MakeRun:
    process: subprocess.Popen[bytes]
    web: int
    sandbox: int
    database: Path
    log: Path

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.web}{path}"

    def sandbox_url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.sandbox}{path}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()

    def wait_until_up(self) -> None:
        wait(lambda: f"SocialDataLab is up at {self.url()}" in self.output(), 150, "make run said it is up")

    def group_processes(self) -> list[str]:
        """What still runs in make's process group (pid and command line)."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if entry.name.isdigit() and int(fields[2]) == self.process.pid and fields[0] != "Z":
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    found.append(f"{entry.name} {command}")
            except (OSError, IndexError, ValueError):
                continue
        return found

    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """TERM to the group, as Ctrl-C or a supervisor would; KILL whatever is left after 60 s."""
        self.signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        finally:
            self.signal_group(signal.SIGKILL)


def start_make_run(tmp_path: Path, redis_url: str, name: str = "run", **environment: str) -> MakeRun:
    """`make run` in a session (process group) of its own, logging to tmp_path/<name>.log."""
    web, sandbox = free_port(), free_port()
    database = tmp_path / "run.sqlite3"
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    env.update(
        WEB_PORT=str(web), SANDBOX_PORT=str(sandbox), DATABASE_URL=f"sqlite:///{database}", REDIS_URL=redis_url,
        SANDBOX_STATE_FILE=str(tmp_path / "sandbox-state.pickle"), **environment,
    )  # fmt: skip
    log = tmp_path / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [shutil.which("make") or "make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    return MakeRun(process, web, sandbox, database, log)
