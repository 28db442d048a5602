"""Query results as numpy columns, for the statistics that read every post of a period.

On PostgreSQL the rows come through COPY … TO STDOUT as CSV and pandas' C parser turns them
into arrays: no Python object per value, where for a year of three busy profiles (15,000 posts)
the cursor's tuples took about a third of the analysis page's time and left garbage to walk.
Elsewhere (SQLite, `make run`'s default) the cursor's rows are turned into the same arrays.
Times are read as whole microseconds since the epoch (EpochMicroseconds) and dates as days since
it (EpochDays): a number either way, which pandas turns into datetimes without parsing text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import BigIntegerField, Func, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# What each column is read as: "int" (never null), "float" (null -> NaN), "str" (never null).
Kinds = Mapping[str, str]
_CSV_TYPES = {"int": np.int64, "float": np.float64, "str": str}


class EpochMicroseconds(Func):
    """A datetime column as whole microseconds since 1970-01-01 UTC (exact: no float seconds)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_sql(compiler, connection, template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint")

    def as_sqlite(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Django stores UTC times as "YYYY-MM-DD HH:MM:SS[.ffffff]". strftime is given the whole
        # seconds only (it rounds :59.999999 up to the next second); no fraction is '' -> 0. Its
        # format's % is doubled twice: once for this template, once for the driver's %s.
        seconds = "CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER) * 1000000"
        fraction = "CAST(substr(%(expressions)s, 21, 6) AS INTEGER)"
        return self.as_sql(compiler, connection, template=f"({seconds} + {fraction})")


class EpochDays(Func):
    """A date column as days since 1970-01-01."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')")

    def as_sqlite(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # julianday() of a date is a whole day and a half: exact in a double.
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)")


def read(query: QuerySet[Any], kinds: Kinds) -> dict[str, np.ndarray]:
    """The columns of a values_list query over `kinds`' names, in that order, as arrays."""
    if connection.vendor == "postgresql":
        return _copied(*query.query.sql_with_params(), kinds)
    fetched = rows(query)
    values = zip(*fetched, strict=True) if fetched else ((),) * len(kinds)
    return {name: _array(column, kind) for (name, kind), column in zip(kinds.items(), values, strict=True)}


def rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query, read by the database driver without Django's per-row
    conversions (dates and times come as the database writes them)."""
    with connection.cursor() as cursor:
        cursor.execute(*query.query.sql_with_params())
        return cursor.fetchall()


def _copied(sql: str, params: tuple[Any, ...], kinds: Kinds) -> dict[str, np.ndarray]:
    data, statement = io.BytesIO(), f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        # Counted and logged as the cursor's own queries are (DEBUG, the query-count tests).
        logged = cursor.debug_sql(statement, params) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged, cursor.cursor.copy(statement, params) as copy:
            for block in copy:
                data.write(block)
    if not data.tell():
        return {name: _array((), kind) for name, kind in kinds.items()}
    data.seek(0)
    frame = pd.read_csv(
        data,
        header=None,
        names=list(kinds),
        dtype={name: _CSV_TYPES[kind] for name, kind in kinds.items()},
        keep_default_na=False,  # only an empty field (COPY's NULL) is missing: never the text "NA"
        na_values=[""],
    )
    return {name: _array(frame[name].to_numpy(), kind) for name, kind in kinds.items()}


def _array(values: Any, kind: str) -> np.ndarray:
    if kind == "float":
        return np.array(values, dtype=float)  # None -> NaN
    return np.array(values, dtype=np.int64 if kind == "int" else object)
