"""Exports: the same rows in CSV, XLSX and Parquet, readable by pandas, for the chosen period."""

import io

import pandas as pd
import pytest
from django.urls import reverse

from collector.models import Comment, Media


def _download(client, lab, dataset, file_format, period="period=90"):
    url = reverse("export", args=[lab.profile.pk]) + f"?{period}&dataset={dataset}&format={file_format}"
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert "attachment;" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


READERS = {
    "csv": lambda body: pd.read_csv(io.BytesIO(body)),
    "xlsx": lambda body: pd.read_excel(io.BytesIO(body)),
    "parquet": lambda body: pd.read_parquet(io.BytesIO(body)),
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "parquet"])
def test_media_export_holds_every_post_of_the_period(signed_in, lab, file_format):
    frame = READERS[file_format](_download(signed_in, lab, "media", file_format))
    from insights.periods import last_days

    start, end = last_days(90).bounds()
    expected = Media.objects.filter(profile=lab.profile, timestamp__gte=start, timestamp__lt=end)
    assert len(frame) == expected.count() > 0
    assert set(frame["media_id"].astype(str)) == set(expected.values_list("meta_id", flat=True))
    assert frame["reach"].sum() == sum(expected.values_list("reach", flat=True))


def test_comment_export_in_parquet_keeps_types_across_chunks(signed_in, lab, monkeypatch):
    monkeypatch.setattr("insights.exports.CHUNK_ROWS", 97)
    frame = pd.read_parquet(
        io.BytesIO(_download(signed_in, lab, "comments", "parquet", "period=custom&start=2000-01-01&end=2100-01-01"))
    )
    assert len(frame) == Comment.objects.filter(profile=lab.profile).count()
    assert str(frame["posted_at_utc"].dtype).startswith("datetime64")
    assert str(frame["hidden"].dtype) in ("bool", "boolean")


def test_daily_and_insights_exports_have_their_columns(signed_in, lab):
    daily = pd.read_csv(io.BytesIO(_download(signed_in, lab, "daily", "csv")))
    assert {"date", "media_kind", "posts", "reach", "interactions"} <= set(daily.columns) and len(daily)
    insights = pd.read_csv(
        io.BytesIO(_download(signed_in, lab, "insights", "csv", "period=custom&start=2000-01-01&end=2100-01-01"))
    )
    assert {"media_id", "captured_at_utc", "reach", "replies"} <= set(insights.columns) and len(insights)


def test_an_unknown_dataset_shows_the_form_instead(signed_in, lab):
    response = signed_in.get(reverse("export", args=[lab.profile.pk]) + "?dataset=passwords&format=csv")
    assert response.status_code == 200 and b'id="download"' in response.content
