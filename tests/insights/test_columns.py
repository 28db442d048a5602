"""The column reader the research statistics read every post through: PostgreSQL's COPY, or the
cursor on SQLite, must give the same arrays, exact to the microsecond, with a missing number as
NaN and never a text that merely looks like one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from collector.models import Media, MediaProductType, MediaType, ProfileSnapshot
from insights import columns
from insights.columns import EpochDays, EpochMicroseconds
from tests.insights.builders import account

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]  # each database has its own SQL for these
KINDS = {"meta_id": "str", "posted": "int", "reach": "float", "likes": "int"}


def _media(profile: object, meta_id: str, timestamp: datetime, reach: int | None) -> Media:
    return Media.objects.create(
        profile=profile, meta_id=meta_id, timestamp=timestamp, reach=reach, like_count=3,
        media_type=MediaType.IMAGE, media_product_type=MediaProductType.FEED,
    )  # fmt: skip


def _read(profile: object) -> dict[str, np.ndarray]:
    query = (
        Media.objects.filter(profile=profile)
        .annotate(posted=EpochMicroseconds("timestamp"))
        .order_by("timestamp")
        .values_list("meta_id", "posted", "reach", "like_count")
    )
    return columns.read(query, KINDS)


def test_it_reads_times_to_the_microsecond_and_missing_numbers_as_nan():
    profile = account().profile
    whole = datetime(2025, 3, 9, 21, 0, 0, tzinfo=UTC)  # stored without a fraction on SQLite
    fine = datetime(2025, 3, 10, 0, 59, 59, 999_999, tzinfo=UTC)
    _media(profile, "NA", whole, None)
    _media(profile, "17900000000000000001", fine, 1234)

    found = _read(profile)

    posted = pd.to_datetime(found["posted"], unit="us", utc=True)
    assert list(posted) == [pd.Timestamp(whole), pd.Timestamp(fine)]
    assert list(found["meta_id"]) == ["NA", "17900000000000000001"]  # the text "NA" is not a missing value
    assert np.isnan(found["reach"][0]) and found["reach"][1] == 1234.0  # never a 0
    assert found["likes"].dtype == np.int64 and list(found["likes"]) == [3, 3]


def test_it_reads_dates_as_days_since_the_epoch():
    profile = account().profile
    for day in (date(1970, 1, 2), date(2024, 2, 29)):
        ProfileSnapshot.objects.create(profile=profile, date=day, followers_count=10)
    query = ProfileSnapshot.objects.filter(profile=profile).order_by("date").values_list(EpochDays("date"))

    days = columns.read(query, {"day": "int"})["day"]

    assert list(pd.to_datetime(days, unit="D").date) == [date(1970, 1, 2), date(2024, 2, 29)]


def test_an_empty_result_gives_empty_columns_of_their_types():
    found = _read(account().profile)

    assert {name: (len(values), values.dtype.kind) for name, values in found.items()} == {
        "meta_id": (0, "O"),
        "posted": (0, "i"),
        "reach": (0, "f"),
        "likes": (0, "i"),
    }


def test_the_read_is_counted_as_one_query(django_assert_num_queries):
    profile = account().profile
    _media(profile, "1", datetime(2025, 1, 1, tzinfo=UTC), 5)

    with django_assert_num_queries(1):
        assert len(_read(profile)["posted"]) == 1
