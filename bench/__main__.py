"""Run every benchmark script and write docs/benchmarks.md with the machine and the date."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import SCRIPTS

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0.0
    return f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {memory:.1f} GiB RAM, Python {platform.python_version()}"


def main() -> int:
    sections = []
    for script in SCRIPTS:
        print(f"running {script} …", file=sys.stderr)
        done = subprocess.run([sys.executable, "-m", script], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sections.append(f"## {script}\n\nFailed:\n\n```\n{done.stderr[-2000:]}\n```\n")
        else:
            sections.append(done.stdout)
    header = (
        "# Benchmarks\n\nWritten by `make bench` (`python -m bench`) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n\nMachine: {machine()}.\n\n"
    )
    (ROOT / "docs" / "benchmarks.md").write_text(header + "\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
