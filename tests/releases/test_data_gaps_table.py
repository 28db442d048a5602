"""A release's data_gaps table: one row per gap of the ledger overlapping the period, with its
reason, start, end (empty while ongoing), whether it was open when the release was built and its
detail, which leaves no commenter's data."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from collector.gaps import DataGap, GapReason
from collector.models import Comment
from tests.releases.builders import Lab, release_lab
from tests.releases.test_release_contents import built, members, rows

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def utc(value: datetime | None) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%SZ}"


@pytest.fixture
def lab() -> Lab:
    return release_lab(media=5, comments_per_media=2)


def test_every_gap_overlapping_the_period_is_one_row_and_an_open_one_has_no_end(lab: Lab) -> None:
    files = members(built(lab))
    gaps = rows(files, "data_gaps")
    expired, worker_down, withheld, _before_the_period = lab.gaps

    assert [(row["reason"], row["started_at_utc"], row["ended_at_utc"], row["open_at_release"]) for row in gaps] == [
        ("worker_down", utc(worker_down.started_at), utc(worker_down.ended_at), "false"),
        ("token_expired", utc(expired.started_at), utc(expired.ended_at), "false"),
        ("withheld", utc(withheld.started_at), "", "true"),
    ]
    assert {row["profile_id"] for row in gaps} == {lab.profiles[0].meta_id}
    assert gaps[2]["detail"] == "audience: engaged_audience_demographics/age"
    typed = pq.read_table(io.BytesIO(files["data/data_gaps.parquet"]))
    assert str(typed.schema.field("ended_at_utc").type).endswith("tz=UTC]")
    assert typed.to_pylist()[2]["ended_at_utc"] is None and typed.to_pylist()[2]["open_at_release"] is True
    manifest = json.loads(files["manifest.json"])
    assert {f["path"]: f["rows"] for f in manifest["files"]}["data/data_gaps.csv"] == 3


def test_a_gap_detail_naming_a_commenter_leaves_only_their_pseudonym(lab: Lab) -> None:
    person = Comment.objects.filter(profile=lab.profiles[0]).exclude(username=lab.profiles[0].username).first()
    DataGap.objects.create(
        profile=lab.profiles[0], reason=GapReason.WEBHOOKS_MISSING, started_at=timezone.now() - timedelta(days=1),
        detail=f"comment by @{person.username} ({person.author_id}) came by polling; {person.username} again",
    )  # fmt: skip
    files = members(built(lab))
    detail = next(row["detail"] for row in rows(files, "data_gaps") if row["reason"] == "webhooks_missing")
    author = next(row["author"] for row in rows(files, "comments") if row["comment_id"] == person.meta_id)

    assert person.username not in detail and person.author_id not in detail
    assert detail == f"comment by @{author} ({author}) came by polling; {author} again"


def test_the_codebook_says_what_a_gap_row_means(lab: Lab) -> None:
    files = members(built(lab))
    codebook = {(row["file"], row["column"]): row for row in rows({"data/c.csv": files["codebook.csv"]}, "c")}

    reason = codebook[("data_gaps", "reason")]
    assert all(code in reason["definition"] for code in GapReason.values)
    assert "open_at_release" in codebook[("data_gaps", "ended_at_utc")]["missing_values"]
    assert "commenter" in codebook[("data_gaps", "detail")]["definition"]
    assert {codebook[("data_gaps", name)]["type"] for name in ("started_at_utc", "ended_at_utc")} == {"timestamp (UTC)"}


def test_the_gap_reasons_are_explained_in_the_release_language(lab: Lab) -> None:
    files = members(built(lab, language="pt-br"))
    codebook = {(row["file"], row["column"]): row for row in rows({"data/c.csv": files["codebook.csv"]}, "c")}

    assert "token_expired: Token expirado" in codebook[("data_gaps", "reason")]["definition"]
    assert codebook[("data_gaps", "started_at_utc")]["definition"].startswith("Quando a lacuna começou")


def test_a_token_in_a_gap_detail_is_redacted(lab: Lab) -> None:
    DataGap.objects.create(
        profile=lab.profiles[1], reason=GapReason.RATE_LIMITED, started_at=timezone.now() - timedelta(hours=3),
        detail="(#4) Application request limit reached: GET /me?access_token=IGAAsecret0123456789abcdef",
    )  # fmt: skip
    detail = next(row["detail"] for row in rows(members(built(lab)), "data_gaps") if row["reason"] == "rate_limited")

    assert "IGAAsecret" not in detail and detail.endswith("access_token=[redacted]")
