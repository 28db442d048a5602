"""The codebook is generated from the column registry (releases/codebook.py) and covers every
column of every file in a release; a column without an entry stops the build."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from releases import build, codebook, columns
from releases.tables import TABLES, Table
from tests.releases.builders import release_lab
from tests.releases.test_release_contents import built

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
TYPES = {columns.STRING, columns.INT, columns.FLOAT, columns.BOOL, columns.DATE, columns.TIME}


def test_every_column_of_every_table_has_a_codebook_entry() -> None:
    """Fails as soon as a table names a column that releases/codebook.py does not define."""
    for table in TABLES:
        for name in table.columns:
            entry = codebook.column(table.name, name)
            assert entry.kind in TYPES, (table.name, name)
            assert str(entry.definition).strip() and str(entry.missing).strip(), (table.name, name)


def test_a_column_without_an_entry_stops_the_build(tmp_path: Path) -> None:
    undocumented = Table("media", "", ("media_id", "favourite_colour"), lambda scope: 0, lambda scope: iter([]))

    with pytest.raises(columns.UndocumentedColumn, match="favourite_colour"):
        build.write_table(undocumented, None, tmp_path, lambda rows: None)  # type: ignore[arg-type]


def test_the_codebook_lists_every_column_of_every_file_in_the_release() -> None:
    release = built(release_lab(media=5, comments_per_media=2))
    with release.file.open("rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    documented_rows = list(csv.DictReader(io.StringIO(files["codebook.csv"].decode())))
    documented = {(row["file"], row["column"]) for row in documented_rows}

    headers = {}
    for name, data in files.items():
        table = Path(name).stem
        if name.endswith(".csv"):
            headers[name] = (table, next(csv.reader(io.StringIO(data.decode()))))
        elif name.endswith(".parquet"):
            headers[name] = (table, pq.read_table(io.BytesIO(data)).column_names)
    assert len(headers) == 2 * len(TABLES) + 1
    for name, (table, names) in headers.items():
        assert {(table, column) for column in names} <= documented, name
    assert len(documented_rows) == sum(len(names) for _table, names in headers.values()) - sum(
        len(t.columns) for t in TABLES
    )  # each table's columns once (CSV and Parquet share them), and the codebook's own
    author = next(row for row in documented_rows if row["column"] == "author")
    assert "LGPD" in author["definition"] and "HMAC" in author["definition"]
    reach = next(row for row in documented_rows if (row["file"], row["column"]) == ("media", "reach_missing"))
    assert "hidden_by_meta_below_5" in reach["definition"]
