"""A release's audience table: one row per account, day, metric, breakdown and segment, from Meta's
lifetime total_value demographics and online followers; a breakdown Meta withheld is one row whose
accounts are empty with the reason, never a zero."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest

from tests.releases.builders import AUDIENCE, Lab, release_lab
from tests.releases.test_release_contents import built, members, rows

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def lab() -> Lab:
    return release_lab(media=5, comments_per_media=2)


def test_every_segment_of_every_day_is_a_row_largest_first(lab: Lab) -> None:
    files = members(built(lab))
    audience = rows(files, "audience")
    campus = lab.profiles[1].meta_id
    segments = sum(1 if values is None else len(values) for values in AUDIENCE.values())

    assert len(audience) == 2 * segments and {row["profile_id"] for row in audience} == {campus}
    first_day = [row for row in audience if row["date"] == audience[0]["date"]]
    cities = [
        (row["segment"], row["accounts"], row["timeframe"])
        for row in first_day
        if (row["metric"], row["breakdown"]) == ("follower_demographics", "city")
    ]
    assert cities == [("São Luís, Maranhão", "5210", "this_month"), ("Caxias, Maranhão", "880", "this_month")]
    online = [row for row in first_day if row["metric"] == "online_followers"]
    assert [(row["segment"], row["accounts"], row["timeframe"]) for row in online] == [
        ("20", "910", ""),
        ("8", "340", ""),
    ]
    assert audience[0]["date"] < audience[-1]["date"]


def test_a_breakdown_meta_withheld_is_one_row_with_empty_accounts_and_its_reason(lab: Lab) -> None:
    files = members(built(lab))
    withheld = [row for row in rows(files, "audience") if row["metric"] == "engaged_audience_demographics"]
    typed = [
        row
        for row in pq.read_table(io.BytesIO(files["data/audience.parquet"])).to_pylist()
        if row["metric"] == "engaged_audience_demographics"
    ]

    assert len(withheld) == 2
    assert {(row["segment"], row["accounts"], row["accounts_missing"]) for row in withheld} == {
        ("", "", "hidden_by_meta_below_100")
    }
    assert {(row["segment"], row["accounts"]) for row in typed} == {(None, None)}
    assert {row["accounts_missing"] for row in rows(files, "audience") if row["accounts"]} == {""}


def test_the_codebook_names_meta_s_endpoint_and_its_top_45_limit(lab: Lab) -> None:
    files = members(built(lab))
    codebook = {(row["file"], row["column"]): row for row in rows({"data/c.csv": files["codebook.csv"]}, "c")}

    accounts = codebook[("audience", "accounts")]
    assert (
        "GET /{ig-user-id}/insights period=lifetime metric_type=total_value timeframe breakdown"
        in (accounts["source_endpoint"])
    )
    assert (accounts["type"], accounts["unit"]) == ("int64", "accounts") and "100" in accounts["missing_values"]
    assert "top 45" in codebook[("audience", "segment")]["definition"]
    assert "hidden_by_meta_below_100" in codebook[("audience", "accounts_missing")]["definition"]
    assert codebook[("audience", "date")]["type"] == "date"
