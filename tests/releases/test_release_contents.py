"""What a release's files hold, built in-process: the tables, nulls with reasons, pseudonyms."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pyarrow.parquet as pq
import pytest

from collector.models import Comment
from releases.models import Release, ReleaseStatus
from tests.releases.builders import Lab, ready_release, release_lab

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def built(lab: Lab, language: str = "en") -> Release:
    return ready_release(lab.organization, lab.profiles, language)


def members(release: Release) -> dict[str, bytes]:
    with release.file.open("rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(files: dict[str, bytes], table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"data/{table}.csv"].decode())))


@pytest.fixture
def lab() -> Lab:
    return release_lab()


def test_it_writes_every_table_as_parquet_and_csv_with_the_same_rows(lab: Lab) -> None:
    release = built(lab)
    files = members(release)

    assert release.status == ReleaseStatus.READY
    assert list(files)[:2] == ["manifest.json", "data/profiles.parquet"]
    for table in ("profiles", "media", "comments", "account_daily", "audience", "data_gaps"):
        parquet = pq.read_table(io.BytesIO(files[f"data/{table}.parquet"]))
        assert parquet.num_rows == len(rows(files, table)), table
    assert [row["profile_id"] for row in rows(files, "profiles")] == sorted(p.meta_id for p in lab.profiles)
    assert len(rows(files, "media")) == 3 * 40 + 1


def test_a_profile_with_nothing_collected_yet_gives_empty_typed_tables() -> None:
    from tests.insights.builders import account

    fresh = account("ifma.novo")
    files = members(ready_release(fresh.organization, [fresh.profile]))

    assert len(rows(files, "profiles")) == 1
    for table in ("media", "comments", "account_daily", "audience", "data_gaps"):
        assert rows(files, table) == []
        assert pq.read_table(io.BytesIO(files[f"data/{table}.parquet"])).num_rows == 0
    assert str(pq.read_table(io.BytesIO(files["data/media.parquet"])).schema.field("reach").type) == "int64"


def test_ids_are_strings_in_parquet(lab: Lab) -> None:
    files = members(built(lab))
    media = pq.read_table(io.BytesIO(files["data/media.parquet"]))
    comments = pq.read_table(io.BytesIO(files["data/comments.parquet"]))

    assert str(media.schema.field("media_id").type) == "string"
    assert {str(comments.schema.field(name).type) for name in ("comment_id", "media_id", "parent_id")} == {"string"}


def test_a_value_meta_withheld_is_null_with_its_reason_never_zero(lab: Lab) -> None:
    files = members(built(lab))
    story = next(row for row in rows(files, "media") if row["media_id"] == lab.hidden_story.meta_id)
    parquet = pq.read_table(io.BytesIO(files["data/media.parquet"])).to_pylist()
    typed = next(row for row in parquet if row["media_id"] == lab.hidden_story.meta_id)

    assert (story["reach"], story["reach_missing"]) == ("", "hidden_by_meta_below_5")
    assert (typed["reach"], typed["reach_missing"]) == (None, "hidden_by_meta_below_5")
    assert (typed["replies"], typed["replies_missing"]) == (None, "hidden_by_meta_below_5")
    assert (typed["saved"], typed["saved_missing"]) == (None, "not_available_for_type")
    assert (typed["views"], typed["views_missing"]) == (37, None)
    assert (typed["er_reach"], typed["er_reach_missing"]) == (None, "no_reach")
    daily = [row for row in rows(files, "account_daily") if row["new_followers_missing"] == "hidden_by_meta_below_100"]
    assert len(daily) == 1 and daily[0]["new_followers"] == ""


def test_engagement_rate_by_reach_is_computed_per_post_with_the_registry_formula(lab: Lab) -> None:
    files = members(built(lab))
    post = next(row for row in rows(files, "media") if row["product_type"] == "FEED")

    assert float(post["er_reach"]) == pytest.approx(100 * int(post["interactions"]) / int(post["reach"]), abs=1e-6)
    assert int(post["interactions"]) == int(post["total_interactions"])


def test_commenters_are_pseudonyms_stable_within_the_organization(lab: Lab) -> None:
    first, second = members(built(lab)), members(built(lab))
    authors = [row["author"] for row in rows(first, "comments")]
    people = [row["author"] for row in rows(first, "comments") if row["author_is_account"] == "false"]

    assert authors == [row["author"] for row in rows(second, "comments")]
    assert people and all(len(author) == 16 and author not in {p.meta_id for p in lab.profiles} for author in people)
    mention = next(row for row in rows(first, "comments") if row["comment_id"] == "17999000000000001")
    named = Comment.objects.filter(profile=lab.profiles[0]).exclude(username=lab.profiles[0].username)[:2]
    by_id = {row["comment_id"]: row["author"] for row in rows(first, "comments")}
    assert mention["text"] == f"@{by_id[named[0].meta_id]} olha isso, {by_id[named[1].meta_id]} também!"


def test_the_manifest_freezes_what_the_release_is(lab: Lab) -> None:
    release = built(lab)
    manifest = json.loads(members(release)["manifest.json"])

    assert manifest["version"] == release.version == f"SDL-{lab.organization.pk}-R0001"
    assert manifest["graph_api_version"] == "v25.0"
    assert manifest["created_at"] == release.created_at.replace(microsecond=0).isoformat()
    assert {m["key"] for m in manifest["metric_formulas"]} >= {"er_reach", "er_followers", "interactions"}
    window = manifest["profiles"][0]["collection_window"]
    assert {"connected_at", "backfill_finished_at", "media_stored_from", "daily_rows_to"} <= set(window)
    assert {f["path"] for f in manifest["files"]} == set(members(release)) - {"manifest.json"}


def test_the_codebook_is_written_in_the_release_language(lab: Lab) -> None:
    files = members(built(lab, language="pt-br"))
    codebook = {
        (row["file"], row["column"]): row for row in csv.DictReader(io.StringIO(files["codebook.csv"].decode()))
    }

    assert codebook[("media", "reach")]["unit"] == "contas"
    assert "LGPD" in codebook[("comments", "author")]["definition"]
