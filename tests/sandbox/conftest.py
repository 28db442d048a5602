"""The sandbox as a subprocess on a free port, for the sandbox's own tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(port: int, seed: int = 42) -> tuple[subprocess.Popen[str], float]:
    """Start `python -m sandbox`; return the process and the seconds until it said it listens."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", str(port), "--seed", str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening" not in line:
        process.kill()
        raise RuntimeError(f"the sandbox did not start: {line}")
    return process, time.monotonic() - started


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    port = free_port()
    process, _ = start_sandbox(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class Control:
    """The /_sandbox/ control API plus the mirrored Meta hosts."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ig = f"{url}/graph.instagram.com/v25.0"
        self.fb = f"{url}/graph.facebook.com/v25.0"

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}/_sandbox/{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def token(self, login: str = "instagram", account: str = "ifma.saoluis", **options: Any) -> str:
        spec = {"login": login, "account": account, **options}
        return str(self("POST", "tokens", json=spec)["access_token"])


@pytest.fixture
def ctl(sandbox_url: str) -> Control:
    """The running sandbox, back in its seeded state."""
    control = Control(sandbox_url)
    control("POST", "reset")
    return control
