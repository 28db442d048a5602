"""A release's comments carry the classifier's codes (sentiment, score, flags, coded_by), defined
in the codebook from collector.coded.CODEBOOK with the classifier's name and version, which the
manifest records too; a comment not coded yet has its codes empty, not "neutral, no flags"."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import pytest

import classifier
from collector.coded import CODEBOOK
from collector.models import Comment
from tests.releases.builders import Lab, release_lab
from tests.releases.test_release_contents import built, members, rows

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
CODED = [entry.column for entry in CODEBOOK]


@pytest.fixture
def lab() -> Lab:
    return release_lab(media=4, comments_per_media=3)


def test_each_comment_carries_the_codes_the_classifier_gave_it(lab: Lab) -> None:
    files = members(built(lab))
    typed = {row["comment_id"]: row for row in pq.read_table(io.BytesIO(files["data/comments.parquet"])).to_pylist()}
    stored = {c.meta_id: c for c in Comment.objects.filter(profile__in=lab.profiles).exclude(coded_by="")}

    assert len(stored) == len(typed) - 1  # every comment but the one created by hand is coded
    for meta_id, comment in stored.items():
        assert [typed[meta_id][name] for name in CODED] == [getattr(comment, name) for name in CODED], meta_id
    assert {row["coded_by"] for row in rows(files, "comments")} == {classifier.LABEL, ""}
    assert any(row["is_question"] for row in typed.values()) and any(
        row["sentiment"] == "positive" for row in typed.values()
    )


def test_a_comment_not_coded_yet_has_its_codes_empty(lab: Lab) -> None:
    files = members(built(lab))
    uncoded = next(row for row in rows(files, "comments") if row["comment_id"] == "17999000000000001")
    typed = pq.read_table(io.BytesIO(files["data/comments.parquet"]))

    assert [uncoded[name] for name in CODED] == [""] * len(CODED)
    assert str(typed.schema.field("sentiment_score").type) == "double"
    assert str(typed.schema.field("is_spam").type) == "bool"


def test_the_codebook_and_the_manifest_name_the_classifier_and_its_version(lab: Lab) -> None:
    files = members(built(lab))
    codebook = {(row["file"], row["column"]): row for row in rows({"data/c.csv": files["codebook.csv"]}, "c")}
    manifest = json.loads(files["manifest.json"])

    for entry in CODEBOOK:
        row = codebook[("comments", entry.column)]
        assert str(entry.definition) in row["definition"] and str(entry.values) in row["definition"], entry.column
        assert f"{classifier.NAME}, version {classifier.VERSION}" in row["source_endpoint"]
        assert "coded_by empty" in row["missing_values"]
    coded = Comment.objects.filter(profile__in=lab.profiles).exclude(coded_by="").count()
    assert manifest["comment_classifier"] == {
        "name": classifier.NAME,
        "version": classifier.VERSION,
        "label": classifier.LABEL,
        "columns": CODED,
        "comments_by_coded_by": {classifier.LABEL: coded, "not_coded": 1},
    }


def test_the_coded_columns_are_defined_in_the_release_language(lab: Lab) -> None:
    files = members(built(lab, language="pt-br"))
    codebook = {(row["file"], row["column"]): row for row in rows({"data/c.csv": files["codebook.csv"]}, "c")}

    assert codebook[("comments", "is_spam")]["definition"].startswith("Promoção não solicitada")
    assert "vazio se não codificado" in codebook[("comments", "is_spam")]["definition"]
    assert "coded_by vazio" in codebook[("comments", "sentiment")]["missing_values"]
