"""How the suite empties the database after a transactional test: fast, and without deadlocks.

- PostgreSQL: DELETE instead of TRUNCATE. TRUNCATE gives each of some sixty tables new files,
  about a second per flush on this machine, and takes locks that deadlock a task still reading;
  DELETE of a test's few rows takes milliseconds. Foreign keys are deferred, so order is free.
- Both databases: the rows `migrate` made and no test changes (content types, permissions, the
  default site) are kept, so the post_migrate signal Django sends after every flush, which makes
  them again in some 180 queries (0.2 s a flush, 0.8 s under the suite's load), has nothing to do
  and is not sent. A test that needs them gone would have to delete them itself.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db.backends.postgresql.operations import DatabaseOperations

KEPT_TABLES = frozenset({"django_content_type", "auth_permission", "django_site"})

_truncate = DatabaseOperations.sql_flush


def _delete(self: DatabaseOperations, style: Any, tables: Any, *, reset_sequences: bool = False,
            allow_cascade: bool = False) -> list[str]:  # fmt: skip
    if reset_sequences or allow_cascade or not tables:
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {self.quote_name(table)}" for table in tables)]


def _sql_flush_keeping_migrated_rows(
    style: Any, connection: Any, reset_sequences: bool = True, allow_cascade: bool = False
) -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    kept = [table for table in tables if table not in KEPT_TABLES]
    return connection.ops.sql_flush(style, kept, reset_sequences=reset_sequences, allow_cascade=allow_cascade)


def fast_flush() -> None:
    DatabaseOperations.sql_flush = _delete
    flush.sql_flush = _sql_flush_keeping_migrated_rows
    flush.emit_post_migrate_signal = lambda *args, **kwargs: None
