"""Building a release: every table as Parquet and CSV, the codebook, the manifest, one ZIP.

Tables are written chunk by chunk to temporary files (memory stays flat however many rows), each
file's SHA-256 goes into the manifest, and the ZIP is deterministic: entries in a fixed order,
with fixed timestamps and permissions, so the same release content is the same bytes. The ZIP
is then stored once (Release.file) and served as stored.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.core.files import File
from django.utils import timezone, translation

from releases import codebook, columns
from releases.manifest import manifest
from releases.models import Release, ReleaseStatus
from releases.tables import TABLES, Scope, Table

ARROW = {
    columns.STRING: pa.string(),
    columns.INT: pa.int64(),
    columns.FLOAT: pa.float64(),
    columns.BOOL: pa.bool_(),
    columns.DATE: pa.date32(),
    columns.TIME: pa.timestamp("s", tz="UTC"),
}
CSV_TIME = "%Y-%m-%dT%H:%M:%SZ"
CSV_OPTIONS = pa_csv.WriteOptions(include_header=True, quoting_style="needed")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry: no build time leaks in
BLOCK = 1024 * 1024
CODEBOOK_COLUMNS = ("file", "column", "type", "unit", "definition", "source_endpoint", "source_field", "missing_values")


@dataclass(frozen=True)
class Written:
    path: str  # inside the ZIP
    table: str
    format: str
    rows: int
    local: Path

    def describe(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "table": self.table,
            "format": self.format,
            "rows": self.rows,
            "bytes": self.local.stat().st_size,
            "sha256": sha256(self.local),
        }


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _csv_schema(schema: pa.Schema) -> pa.Schema:
    """CSV writes times as ISO 8601 with a T and a Z, like Meta's, rather than Arrow's space."""
    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_timestamp(f.type) else f for f in schema])


def _for_csv(table: pa.Table, schema: pa.Schema) -> pa.Table:
    converted = [
        pc.strftime(column, format=CSV_TIME) if pa.types.is_timestamp(column.type) else column
        for column in table.columns
    ]
    return pa.table(converted, schema=schema)


def write_table(table: Table, scope: Scope, folder: Path, advance: Callable[[int], None]) -> list[Written]:
    """The table as data/<name>.parquet and data/<name>.csv, written chunk by chunk. CSV: UTF-8,
    a header, strings quoted, an empty cell for a missing value (\"\" is an empty string)."""
    schema = pa.schema([(name, ARROW[codebook.column(table.name, name).kind]) for name in table.columns])
    text_schema = _csv_schema(schema)
    parquet_path, csv_path = folder / f"{table.name}.parquet", folder / f"{table.name}.csv"
    rows = 0
    with (
        pq.ParquetWriter(parquet_path, schema, compression="zstd") as parquet,
        pa_csv.CSVWriter(csv_path, text_schema, write_options=CSV_OPTIONS) as text,
    ):
        for chunk in table.chunks(scope):
            if any(len(row) != len(table.columns) for row in chunk):
                raise ValueError(f"a row of {table.name} does not match its {len(table.columns)} columns")
            columns = zip(zip(*chunk, strict=True), schema, strict=True)
            batch = pa.table([pa.array(values, type=column.type) for values, column in columns], schema=schema)
            parquet.write_table(batch)
            text.write_table(_for_csv(batch, text_schema))
            rows += len(chunk)
            advance(len(chunk))
        if rows == 0:  # an empty table still has its typed columns
            parquet.write_table(schema.empty_table())
    return [
        Written(f"data/{table.name}.parquet", table.name, "parquet", rows, parquet_path),
        Written(f"data/{table.name}.csv", table.name, "csv", rows, csv_path),
    ]


def codebook_rows(tables: tuple[Table, ...]) -> list[dict[str, str]]:
    """One row per column of every file: the tables' columns, then the codebook's own."""
    rows = [codebook.column(table.name, name).row(table.name, name) for table in tables for name in table.columns]
    return rows + [codebook.column("codebook", name).row("codebook", name) for name in CODEBOOK_COLUMNS]


def write_codebook(folder: Path) -> Written:
    path = folder / "codebook.csv"
    rows = codebook_rows(TABLES)
    with path.open("w", newline="") as file:
        out = csv.DictWriter(file, CODEBOOK_COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows(rows)
    return Written("codebook.csv", "codebook", "csv", len(rows), path)


def write_zip(target: Path, entries: list[tuple[str, Path]]) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        for name, local in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            # Parquet is compressed already (zstd); deflating it again costs time for nothing.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".parquet") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.file_size = local.stat().st_size  # lets zipfile choose ZIP64 up front for a large file
            with local.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, BLOCK)


def build(release: Release, scope: Scope) -> None:
    """Write the release's ZIP and store it on the release (the caller has set BUILDING)."""
    with tempfile.TemporaryDirectory(prefix="release-") as tmp, translation.override(release.language):
        folder = Path(tmp)
        release.progress_total = sum(table.count(scope) for table in TABLES)
        Release.objects.filter(pk=release.pk).update(
            progress_total=release.progress_total, progress_done=0, heartbeat_at=timezone.now()
        )
        written = [item for table in TABLES for item in write_table(table, scope, folder, release.advance)]
        written.append(write_codebook(folder))
        release.advance(0)  # the manifest's queries and the ZIP come next: still alive
        frozen = manifest(release, scope, [item.describe() for item in written])
        (folder / "manifest.json").write_text(json.dumps(frozen, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        archive = folder / f"{release.version}.zip"
        write_zip(archive, [("manifest.json", folder / "manifest.json")] + [(i.path, i.local) for i in written])
        release.sha256, release.size = sha256(archive), archive.stat().st_size
        with archive.open("rb") as file:
            release.file.save(f"{release.organization_id}/{release.version}.zip", File(file), save=False)
    release.status, release.built_at, release.manifest = ReleaseStatus.READY, timezone.now(), frozen
    release.save(update_fields=["file", "sha256", "size", "status", "built_at", "manifest", "progress_total"])
