"""The one spelling of the Celery command line: the worker on every queue of settings, and beat.

`python -m socialdatalab.celery_command worker --concurrency 4` (Procfile, render.yaml) replaces
itself with `python -m celery -A socialdatalab worker -Q <CELERY_WORKER_QUEUES> -l INFO
--concurrency 4`; `… beat` likewise. scripts/run.py starts its children through it, and the tests
and benchmarks build their argv with worker()/beat(), so a new queue is added in settings only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _settings() -> object:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdatalab.settings")
    from django.conf import settings

    return settings


def worker(*extra: str, queues: Sequence[str] | None = None, loglevel: str = "INFO") -> list[str]:
    """`celery worker` on `queues` (default: every queue the settings route to), then `extra`."""
    chosen = queues if queues is not None else _settings().CELERY_WORKER_QUEUES  # type: ignore[attr-defined]
    return [sys.executable, "-m", "celery", "-A", "socialdatalab", "worker", "-Q", ",".join(chosen),
            "-l", loglevel, *extra]  # fmt: skip


def beat(*extra: str, loglevel: str = "INFO") -> list[str]:
    """`celery beat` with the settings' scheduler (django-celery-beat's, schedules in the database)."""
    scheduler = _settings().CELERY_BEAT_SCHEDULER  # type: ignore[attr-defined]
    return [sys.executable, "-m", "celery", "-A", "socialdatalab", "beat", "-l", loglevel,
            "--scheduler", scheduler, *extra]  # fmt: skip


COMMANDS = {"worker": worker, "beat": beat}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS:
        raise SystemExit(f"usage: python -m socialdatalab.celery_command {{{'|'.join(COMMANDS)}}} [celery options]")
    command = COMMANDS[argv[0]](*argv[1:])
    sys.stdout.flush()
    os.execv(command[0], command)  # noqa: S606 (the same process: signals and exit codes are Celery's own)


if __name__ == "__main__":
    main(sys.argv[1:])
