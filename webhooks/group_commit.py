"""Rows that arrive together share one INSERT and one commit.

A web process's request threads each hand their row over; the first one in writes every row
queued so far in one statement and commits, then hands the pen to the first row that came in
meanwhile. Each thread still answers only once its own row is committed: what Meta gets a 200
for is durable. A one-row commit costs PostgreSQL four times the CPU of a row in a batch of 16
(docs/benchmarks.md), and on the small machines we run on, that CPU is the web process's too.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

Row = Sequence[Any]


class _Slot:
    __slots__ = ("error", "id", "ready", "row", "writes")

    def __init__(self, row: Row) -> None:
        self.row = row
        self.ready = threading.Event()
        self.id: int | None = None
        self.error: BaseException | None = None
        self.writes = False


class GroupCommit:
    def __init__(self, write: Callable[[list[Row]], list[int]], limit: int = 100) -> None:
        """`write` stores rows in one transaction and returns their ids in the same order."""
        self._write = write
        self._limit = limit
        self.reset()

    def reset(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Slot] = []
        self._writing = False

    def add(self, row: Row) -> int:
        """Store `row` (with whatever rows wait beside it) and return its id once committed."""
        slot = _Slot(row)
        with self._lock:
            self._queue.append(slot)
            slot.writes = not self._writing
            self._writing = True
        if not slot.writes:
            slot.ready.wait()
        if slot.writes:  # the first in, or handed the pen by the writer before
            self._write_queued()
        if slot.error is not None:
            raise slot.error
        assert slot.id is not None
        return slot.id

    def _write_queued(self) -> None:
        with self._lock:
            batch, self._queue = self._queue[: self._limit], self._queue[self._limit :]
        error: BaseException | None = None
        try:
            ids: list[int | None] = list(self._write([slot.row for slot in batch]))
        except BaseException as failure:  # noqa: BLE001 (raised again in every waiting request: each answers 503)
            ids, error = [None] * len(batch), failure
        with self._lock:
            successor = self._queue[0] if self._queue else None
            if successor is None:
                self._writing = False
            else:
                successor.writes = True
        for slot, row_id in zip(batch, ids, strict=True):
            slot.id, slot.error = row_id, error
            slot.ready.set()
        if successor is not None:
            successor.ready.set()


def reset_after_fork(group: GroupCommit) -> None:
    """A forked child (gunicorn's workers) inherits no writer and no waiting rows."""
    os.register_at_fork(after_in_child=group.reset)
