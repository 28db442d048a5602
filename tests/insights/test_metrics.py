"""The metric formulas and the daily aggregates they are computed from."""

from datetime import date, timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from collector.models import Media, MediaProductType, MediaType
from insights import metrics, periods
from insights.aggregates import rebuild_daily_metrics
from insights.models import DailyMetric, MediaKind
from insights.reports import engagement
from tests.insights.builders import account


def test_engagement_rate_by_reach_is_interactions_over_reach_in_percent():
    assert metrics.er_by_reach(45, 1500) == pytest.approx(3.0)


def test_a_rate_with_no_reach_is_unknown_rather_than_zero():
    assert metrics.er_by_reach(10, 0) is None


def test_engagement_rate_by_followers_averages_interactions_per_post():
    assert metrics.er_by_followers(600, 3, 10_000) == pytest.approx(2.0)


def test_change_against_previous_period_is_relative_and_unknown_from_zero():
    assert metrics.change(150, 100) == pytest.approx(50.0)
    assert metrics.change(50, 0) is None


def test_every_metric_has_a_name_formula_and_definition():
    for metric in metrics.DEFINITIONS:
        assert str(metric.name) and str(metric.formula) and str(metric.definition)


def test_the_period_picker_reads_presets_and_custom_ranges():
    today = date(2026, 3, 31)
    assert periods.from_query({"period": "7"}, today) == periods.Period(date(2026, 3, 25), today, 7)
    custom = periods.from_query({"period": "custom", "start": "2026-03-01", "end": "2026-03-10"}, today)
    assert (custom.start, custom.end, custom.days) == (date(2026, 3, 1), date(2026, 3, 10), 10)
    assert custom.previous == periods.Period(date(2026, 2, 19), date(2026, 2, 28), None)
    assert periods.from_query({"period": "custom", "start": "bad"}, today).days == 30


def _post(profile, when, media_type, product, **numbers):
    return Media.objects.create(
        profile=profile, meta_id=f"m{Media.objects.count()}", timestamp=when, media_type=media_type,
        media_product_type=product, **numbers,
    )  # fmt: skip


@pytest.mark.django_db
def test_daily_aggregates_sum_each_day_and_media_kind():
    profile = account().profile
    noon = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0) - timedelta(days=2)
    _post(profile, noon, MediaType.IMAGE, MediaProductType.FEED, reach=1000, like_count=40, comments_count=5,
          saved=3, shares=2)  # fmt: skip
    _post(profile, noon, MediaType.IMAGE, MediaProductType.FEED, reach=None, like_count=10, comments_count=0)
    _post(profile, noon, MediaType.VIDEO, MediaProductType.REELS, reach=3000, total_interactions=300, like_count=1)
    _post(profile, noon, MediaType.CAROUSEL_ALBUM, MediaProductType.FEED, reach=500, is_deleted=True, like_count=9)

    assert rebuild_daily_metrics(profile.pk) == 2
    image = DailyMetric.objects.get(profile=profile, kind=MediaKind.IMAGE)
    assert (image.posts, image.posts_with_reach, image.reach, image.interactions) == (2, 1, 1000, 60)
    assert image.interactions_with_reach == 50
    reel = DailyMetric.objects.get(profile=profile, kind=MediaKind.REEL)
    assert reel.interactions == 300  # Meta's total_interactions wins over the counters

    report = engagement(profile, periods.last_days(7))
    assert report.totals.posts == 3
    assert report.totals.er_reach == pytest.approx(100 * 350 / 4000)
    assert report.totals.er_followers == pytest.approx(100 * (360 / 3) / profile.followers_count)


@pytest.mark.django_db
def test_a_rebuild_replaces_the_days_it_covers():
    profile = account().profile
    when = timezone.now() - timedelta(days=1)
    post = _post(profile, when, MediaType.IMAGE, MediaProductType.FEED, reach=100, like_count=1)
    rebuild_daily_metrics(profile.pk)
    Media.objects.filter(pk=post.pk).update(like_count=11)
    rebuild_daily_metrics(profile.pk, since=when)
    assert DailyMetric.objects.filter(profile=profile).aggregate(total=Sum("likes"))["total"] == 11
    assert DailyMetric.objects.filter(profile=profile).count() == 1
