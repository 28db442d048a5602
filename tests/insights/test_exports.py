"""Exports: the same rows in CSV, XLSX and Parquet, readable by pandas, for the chosen period."""

import io

import openpyxl
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
    assert {"account", "date", "media_type", "posts", "reach", "interactions"} <= set(daily.columns) and len(daily)
    insights = pd.read_csv(
        io.BytesIO(_download(signed_in, lab, "insights", "csv", "period=custom&start=2000-01-01&end=2100-01-01"))
    )
    assert {"media_id", "captured_at_utc", "reach", "replies"} <= set(insights.columns) and len(insights)


def test_an_unknown_dataset_shows_the_form_instead(signed_in, lab):
    response = signed_in.get(reverse("export", args=[lab.profile.pk]) + "?dataset=passwords&format=csv")
    assert response.status_code == 200 and b'id="download"' in response.content


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "parquet"])
def test_every_export_names_its_account_and_one_vocabulary_of_media_types(signed_in, lab, file_format):
    everything = "period=custom&start=2000-01-01&end=2100-01-01"
    for dataset in ("media", "insights", "daily"):
        frame = READERS[file_format](_download(signed_in, lab, dataset, file_format, everything))
        assert set(frame["account"]) == {"@ifma.saoluis"}, dataset
        assert set(frame["media_type"]) <= {"image", "carousel", "reel", "story"}, dataset
    media = READERS[file_format](_download(signed_in, lab, "media", file_format, everything))
    assert {"graph_media_type", "graph_product_type"} <= set(media.columns)


def test_eighteen_digit_ids_stay_text_in_every_format(signed_in, lab):
    from insights import exports

    everything = "period=custom&start=2000-01-01&end=2100-01-01"
    replies = Comment.objects.filter(profile=lab.profile, parent__isnull=False).select_related("parent")
    expected = {reply.meta_id: reply.parent.meta_id for reply in replies}
    assert expected and all(len(parent) >= 17 for parent in expected.values())
    ids = {column: str for column in exports.id_columns("comments")}  # what the export page tells readers
    csv_frame = pd.read_csv(io.BytesIO(_download(signed_in, lab, "comments", "csv", everything)), dtype=ids)
    parquet = pd.read_parquet(io.BytesIO(_download(signed_in, lab, "comments", "parquet", everything)))
    workbook = _download(signed_in, lab, "comments", "xlsx", everything)
    excel = pd.read_excel(io.BytesIO(workbook), dtype=ids)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    headers = [cell.value for cell in sheet[1]]
    reply_row = next(row for row in sheet.iter_rows(min_row=2) if row[headers.index("parent_id")].value)
    assert all(reply_row[headers.index(column)].data_type == "s" for column in ids)  # text cells, as Excel shows them
    for frame in (csv_frame, parquet, excel):
        replies_only = frame.dropna(subset=["parent_id"])
        assert dict(zip(replies_only["comment_id"], replies_only["parent_id"], strict=True)) == expected
        assert set(frame["account_id"]) == {lab.profile.meta_id}
    # The CSV quotes every text field, the ids among them, and leaves numbers bare.
    first_line = _download(signed_in, lab, "comments", "csv", everything).decode().splitlines()[1]
    assert first_line.startswith('"@ifma.saoluis","17841400000000001","17')
    page = signed_in.get(reverse("export", args=[lab.profile.pk])).content.decode()
    assert (
        'pd.read_csv(path, dtype={ "account_id": str, "comment_id": str, "media_id": str, "parent_id": str })' in page
    )
