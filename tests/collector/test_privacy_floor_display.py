"""Values Meta withholds below its privacy floor read "hidden by Meta below 5" on the engagement
page and in the exports, never as 0 and never as the plain unknown "—"."""

from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collector.models import InsightsUnavailable, Media, MediaInsight, MediaProductType
from tests.insights.builders import Account, account, populate

pytestmark = pytest.mark.django_db
STORIES = "https://www.instagram.com/stories/ifma.saoluis/"
FEW, QUIET = "18200000000000001", "18200000000000002"


@pytest.fixture
def lab_with_hidden_stories(client: Client) -> Account:
    lab = account()
    populate(lab.profile, media=20, comments_per_media=0, days=30)  # a period with posts to show
    posted = timezone.now() - timedelta(hours=20)
    few = Media.objects.create(
        profile=lab.profile, meta_id="18200000000000001", media_product_type=MediaProductType.STORY,
        timestamp=posted, permalink=f"{STORIES}18200000000000001/",
        insights_unavailable=InsightsUnavailable.BELOW_PRIVACY_FLOOR,
    )  # fmt: skip
    quiet = Media.objects.create(
        profile=lab.profile, meta_id="18200000000000002", media_product_type=MediaProductType.STORY,
        timestamp=posted - timedelta(hours=1), permalink=f"{STORIES}18200000000000002/", reach=44,
    )  # fmt: skip
    MediaInsight.objects.create(
        media=quiet, captured_at=timezone.now(), reach=44, replies=None, suppressed={"replies": 5}
    )
    assert few.reach is None
    client.force_login(lab.user)
    return lab


def test_the_stories_table_says_which_values_meta_hid(client: Client, lab_with_hidden_stories: Account) -> None:
    response = client.get(reverse("engagement", args=[lab_with_hidden_stories.profile.pk]) + "?period=7")

    table = response.content.decode().split('id="stories"')[1].split("</table>")[0]
    rows = {meta_id: next(row for row in table.split("<tr>") if meta_id in row) for meta_id in (FEW, QUIET)}
    assert rows[FEW].count("hidden by Meta below 5") == 5  # fewer than 5 viewers: every metric
    assert rows[QUIET].count("hidden by Meta below 5") == 1 and ">44<" in rows[QUIET]  # only the replies


def test_the_exports_name_the_reason_and_the_floor(client: Client, lab_with_hidden_stories: Account) -> None:
    base = reverse("export", args=[lab_with_hidden_stories.profile.pk]) + "?period=7&format=csv&dataset="

    media = pd.read_csv(io.BytesIO(b"".join(client.get(base + "media").streaming_content)))
    insights = pd.read_csv(io.BytesIO(b"".join(client.get(base + "insights").streaming_content)))

    reasons = dict(zip(media["media_id"].astype(str), media["insights_unavailable"].fillna(""), strict=True))
    assert reasons["18200000000000001"] == "below_privacy_floor" and reasons["18200000000000002"] == ""
    hidden = insights[insights["hidden_by_meta_below"].notna()]
    assert hidden["media_id"].astype(str).tolist() == ["18200000000000002"]
    assert hidden["hidden_by_meta_below"].tolist() == ["replies<5"]
    assert pd.isna(hidden["replies"].iloc[0])  # withheld, not zero
