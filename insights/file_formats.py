"""The export files, written from chunks of pandas frames that share one schema.

CSV is streamed chunk by chunk; XLSX and Parquet are binary containers that must be finished
before they can be read, so they are written chunk by chunk to a temporary file (in memory up to
a few MB) that is then streamed.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

BLOCK_BYTES = 64 * 1024
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _csv(chunks: Iterator[pd.DataFrame]) -> Iterator[bytes]:
    header = True
    for frame in chunks:
        buffer = io.StringIO()
        # Text quoted, numbers bare: spreadsheets' import wizards and readers that honour quotes
        # keep the ids as text (pandas and R still guess from the digits: pass the id columns' dtype).
        frame.to_csv(buffer, index=False, header=header, date_format="%Y-%m-%dT%H:%M:%SZ", quoting=csv.QUOTE_NONNUMERIC)
        header = False
        yield buffer.getvalue().encode("utf-8")


def _stream_file(file: Any) -> Iterator[bytes]:
    file.seek(0)
    while block := file.read(BLOCK_BYTES):
        yield block
    file.close()


def _xlsx(chunks: Iterator[pd.DataFrame]) -> Iterator[bytes]:
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with pd.ExcelWriter(file, engine="openpyxl") as writer:
        row = 0
        for frame in chunks:
            # Excel has no time zones: times are written as UTC wall-clock (the column names say so).
            for column in frame.select_dtypes(include="datetimetz").columns:
                frame[column] = frame[column].dt.tz_localize(None)
            frame.to_excel(writer, index=False, header=row == 0, startrow=row if row == 0 else row + 1)
            row += len(frame)
    yield from _stream_file(file)


def _parquet(chunks: Iterator[pd.DataFrame]) -> Iterator[bytes]:
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    writer: pq.ParquetWriter | None = None
    for frame in chunks:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(file, table.schema)
        writer.write_table(table.cast(writer.schema))
    if writer is not None:
        writer.close()
    yield from _stream_file(file)


WRITERS: dict[str, Callable[[Iterator[pd.DataFrame]], Iterator[bytes]]] = {
    "csv": _csv,
    "xlsx": _xlsx,
    "parquet": _parquet,
}
