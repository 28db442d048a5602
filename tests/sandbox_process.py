"""Starting the Meta sandbox (`python -m sandbox`) as a subprocess, for the suite and its own tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(port: int, seed: int = 42) -> tuple[subprocess.Popen[str], float]:
    """Start the sandbox; return the process and the seconds until it said it listens."""
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
    # Drain what it prints later so a full pipe never blocks it.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, time.monotonic() - started
