"""The suite empties PostgreSQL after a transactional test with DELETE instead of TRUNCATE.

TRUNCATE gives each of some sixty tables new files, about a second per flush on this machine (185
transactional tests: minutes of the suite), and takes locks that deadlock a task still reading;
DELETE of a test's few rows takes milliseconds. Foreign keys are deferred, so order is free.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.operations import DatabaseOperations

_truncate = DatabaseOperations.sql_flush


def _delete(self: DatabaseOperations, style: Any, tables: Any, *, reset_sequences: bool = False,
            allow_cascade: bool = False) -> list[str]:  # fmt: skip
    if reset_sequences or allow_cascade or not tables:
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {self.quote_name(table)}" for table in tables)]


def delete_instead_of_truncate() -> None:
    DatabaseOperations.sql_flush = _delete
