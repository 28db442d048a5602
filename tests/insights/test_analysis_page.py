"""The analysis page across profiles: engagement rate by followers at the time of each post, the
campus x media type table, the heatmap with counts, the answer, and the same tables downloaded."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from collector.models import Media, MediaProductType, MediaType, ProfileSnapshot
from insights import periods
from insights.aggregates import rebuild_daily_metrics
from insights.reports import compare, engagement
from tests.insights.builders import account

pytestmark = pytest.mark.django_db
MARCH = "period=custom&start=2025-03-01&end=2025-03-11"


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def _changing_followers():
    """@ifma.caxias had 1,000 followers on 1 March 2025 and 2,000 on 11 March (8,638 today); it
    posted 100 interactions on the 1st, 150 on the 6th (1,500 followers, interpolated) and 400
    on the 11th: 10 %, 10 % and 20 % of the followers of their days."""
    lab = account("ifma.caxias")
    profile = lab.profile
    profile.followers_count = 8638
    profile.save()
    ProfileSnapshot.objects.create(profile=profile, date=date(2025, 3, 1), followers_count=1000)
    ProfileSnapshot.objects.create(profile=profile, date=date(2025, 3, 11), followers_count=2000)
    for number, (day, interactions) in enumerate([(1, 100), (6, 150), (11, 400)]):
        Media.objects.create(
            profile=profile, meta_id=f"1800000000000000{number:02d}", timestamp=_local(date(2025, 3, day), 18),
            media_type=MediaType.VIDEO, media_product_type=MediaProductType.REELS, reach=interactions * 10,
            total_interactions=interactions, views=interactions * 20,
        )  # fmt: skip
    rebuild_daily_metrics(profile.pk)
    return lab


def test_engagement_rate_by_followers_uses_the_followers_on_the_day_of_each_post(client):
    lab = _changing_followers()
    period = periods.from_query({"period": "custom", "start": "2025-03-01", "end": "2025-03-11"})
    report = engagement(lab.profile, period)
    assert report.totals.er_followers == pytest.approx(40 / 3)  # not (650 / 3) / 8,638 = 2.5 %
    assert compare([lab.profile], period)[0].totals.er_followers == pytest.approx(40 / 3)

    client.force_login(lab.user)
    page = client.get(reverse("engagement", args=[lab.profile.pk]) + "?" + MARCH).content.decode()
    assert "13.33%" in page and "counts were recorded on 2 days of this period" in page


def test_the_analysis_table_gives_median_and_mean_of_both_rates(client):
    lab = _changing_followers()
    client.force_login(lab.user)
    response = client.get(reverse("analysis") + "?" + MARCH + "&min=1")
    assert response.status_code == 200
    row = next(row for row in response.context["types"] if row["kind"] == "reel")
    assert (row["posts"], row["median_er_followers"], row["mean_er_followers"]) == (3, 10.0, pytest.approx(40 / 3))
    assert (row["median_er_reach"], row["reach"], row["views"], row["interactions"]) == (10.0, 6500, 13000, 650)
    # Every post has 10 % by reach: the tie goes to the window with most posts, Tue (11th) to Thu (6th).
    assert (
        response.context["result"].answer
        == "@ifma.caxias, reels, Tue\u2013Thu 18\u201321 h: median ER by reach 10.0 %, n = 2"
    )


def test_a_period_without_a_follower_count_says_so(client):
    lab = _changing_followers()
    client.force_login(lab.user)
    page = client.get(reverse("analysis") + "?period=custom&start=2025-03-05&end=2025-03-07").content.decode()
    assert "@ifma.caxias: no follower count was recorded in this period" in page


def test_the_downloads_hold_the_pages_tables_with_ids_as_text(client):
    lab = _changing_followers()
    client.force_login(lab.user)
    url = reverse("analysis") + "?" + MARCH + "&min=1"
    posts = pd.read_parquet(io.BytesIO(client.get(url + "&table=posts&format=parquet").content))
    assert posts["media_id"].tolist() == ["180000000000000000", "180000000000000001", "180000000000000002"]
    assert str(posts["media_id"].dtype) in ("string", "str", "object")
    assert posts["followers"].tolist() == [1000, 1500, 2000]
    assert posts["followers_source"].tolist() == ["snapshot", "interpolated", "snapshot"]
    assert set(posts["media_type"]) == {"reel"}
    sheet = pd.read_excel(io.BytesIO(client.get(url + "&table=types&format=xlsx").content))
    assert sheet.loc[0, "mean_er_followers"] == pytest.approx(40 / 3) and sheet.loc[0, "media_type"] == "reel"
    cells = pd.read_csv(io.BytesIO(client.get(url + "&table=heatmap&format=csv").content))
    assert cells["posts"].sum() == 3 and set(cells["time_zone"]) == {"America/Fortaleza"}


def test_it_reads_only_the_persons_profiles_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    lab = _changing_followers()
    other = account("ifma.imperatriz")
    Membership.objects.filter(user=other.user).delete()
    client.force_login(lab.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("analysis") + f"?{MARCH}&profiles={other.profile.pk}")
    assert "@ifma.imperatriz" not in response.content.decode()
    assert [profile.pk for profile in response.context["result"].profiles] == [lab.profile.pk]


def test_rates_are_rounded_not_cut():
    from insights.templatetags.insights import percent, signed_change

    assert percent(19.96, 1) == "20.0%" and percent(200 / 3) == "66.67%"  # number_format alone says 19.9, 66.66
    assert signed_change(-12.96) == "\u221213.0%"


def test_the_analysis_page_speaks_portuguese(client):
    lab = _changing_followers()
    client.force_login(lab.user)
    page = client.get(reverse("analysis") + "?" + MARCH + "&min=1", HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()
    assert "Análise entre perfis" in page and "Perfis por tipo de mídia" in page
    assert "@ifma.caxias, reels, Ter\u2013Qui 18\u201321 h: mediana da TE por alcance 10,0 %, n = 2" in page
