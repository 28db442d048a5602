"""Deliveries stored at the same moment by one web process share an INSERT and a commit, and each
request still answers only for its own committed row."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import DatabaseError, connection

from webhooks.group_commit import GroupCommit, Row
from webhooks.models import EventStatus, WebhookEvent


class GatedWrites:
    """A `write` for GroupCommit that holds its first call until released, and records each batch."""

    def __init__(self, fail_batch: int | None = None) -> None:
        self.batches: list[list[Row]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail_batch = fail_batch
        self._next_id = 0

    def __call__(self, rows: list[Row]) -> list[int]:
        self.batches.append(rows)
        if len(self.batches) == 1:
            self.entered.set()
            self.release.wait(10)
        if len(self.batches) - 1 == self.fail_batch:
            raise DatabaseError("the database went away")
        ids = list(range(self._next_id, self._next_id + len(rows)))
        self._next_id += len(rows)
        return ids


def queued(group: GroupCommit, count: int) -> bool:
    with group._lock:
        return len(group._queue) == count


def add_while_the_first_write_waits(writes: GatedWrites, rows: int) -> list[Any]:
    group = GroupCommit(writes)
    with ThreadPoolExecutor(rows) as pool:
        first = pool.submit(group.add, ("row", 0))
        assert writes.entered.wait(10)
        rest = [pool.submit(group.add, ("row", n)) for n in range(1, rows)]
        deadline = threading.Event()
        while not queued(group, rows - 1) and not deadline.wait(0.01):
            pass
        writes.release.set()
        futures = [first, *rest]
        return [future.exception(10) or future.result() for future in futures]


def test_rows_that_arrive_during_a_write_share_the_next_one_and_each_gets_its_own_id() -> None:
    writes = GatedWrites()

    results = add_while_the_first_write_waits(writes, 6)

    assert [len(batch) for batch in writes.batches] == [1, 5]
    by_row = {
        row: row_id
        for batch, first in zip(writes.batches, (0, 1), strict=True)
        for row_id, row in enumerate(batch, first)
    }
    assert results == [by_row[("row", n)] for n in range(6)]


def test_a_failed_write_reaches_every_row_in_it_and_later_rows_are_still_written() -> None:
    writes = GatedWrites(fail_batch=1)

    results = add_while_the_first_write_waits(writes, 4)

    assert results[0] == 0
    assert all(isinstance(result, DatabaseError) for result in results[1:])
    group = writes.batches and GroupCommit(writes)
    assert group.add(("row", "after")) == 1  # nobody is left holding the pen


@pytest.mark.django_db(transaction=True)
@pytest.mark.sqlite
def test_deliveries_stored_at_once_from_many_threads_each_find_their_own_row() -> None:
    barrier = threading.Barrier(16)

    def store(n: int) -> tuple[int, str]:
        barrier.wait(10)
        try:
            body = f'{{"object":"instagram","n":{n}}}'
            return WebhookEvent.objects.store(
                object="instagram", fields="comments", body=body, status=EventStatus.RECEIVED
            ), body
        finally:
            connection.close()

    with ThreadPoolExecutor(16) as pool:
        stored = list(pool.map(store, range(16)))

    assert len({event_id for event_id, _ in stored}) == 16
    assert {event_id: body for event_id, body in stored} == dict(WebhookEvent.objects.values_list("pk", "body"))
