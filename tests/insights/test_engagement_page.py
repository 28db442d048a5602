"""The engagement page: rates with their formulas, comparisons, breakdowns, posts, heatmap, stories."""

from datetime import timedelta

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collector.models import CollectionStatus, Media, Profile
from insights import periods
from insights.aggregates import rebuild_daily_metrics
from insights.metrics import DEFINITIONS
from insights.models import DailyMetric
from tests.insights.builders import account, populate
from tests.insights.conftest import page_text

DEFINITIONS_BY_KEY = {metric.key: metric for metric in DEFINITIONS}


def test_it_shows_both_engagement_rates_with_their_formulas(signed_in, lab):
    text = page_text(signed_in.get(reverse("engagement", args=[lab.profile.pk]) + "?period=90"))
    assert "Engagement rate by reach" in text and "Engagement rate by followers" in text
    for metric in ("er_reach", "er_followers"):
        assert str(DEFINITIONS_BY_KEY[metric].formula) in text
    assert "vs previous period" in text
    for section in ('id="by-kind"', 'id="top-posts"', 'id="bottom-posts"', 'id="heatmap"', 'id="stories"'):
        assert section in text


def test_an_empty_period_says_so(signed_in, lab):
    url = reverse("engagement", args=[lab.profile.pk]) + "?period=custom&start=2019-01-01&end=2019-01-31"
    text = page_text(signed_in.get(url))
    assert "Nothing in this period" in text


def test_posts_not_added_up_yet_are_counted_not_called_nothing(signed_in, lab):
    DailyMetric.objects.filter(profile=lab.profile).delete()  # as before the queued rebuild runs
    url = reverse("engagement", args=[lab.profile.pk]) + "?period=90"
    start, end = periods.from_query(QueryDict("period=90")).bounds()
    collected = Media.objects.filter(profile=lab.profile, is_deleted=False, timestamp__gte=start, timestamp__lt=end)

    waiting = signed_in.get(url).content.decode()

    assert "Nothing in this period" not in waiting
    assert f"{collected.count()} posts of this period have been collected" in waiting
    assert 'id="counting-period"' in waiting and "data-reload-every" in waiting

    rebuild_daily_metrics(lab.profile.pk)
    counted = signed_in.get(url).content.decode()
    assert 'id="counting-period"' not in counted and 'id="stat-er_reach"' in counted
    assert 'id="counting-more"' not in counted


def test_posts_collected_after_the_numbers_were_added_up_are_announced(signed_in, lab):
    recent = timezone.localdate() - timedelta(days=20)
    DailyMetric.objects.filter(profile=lab.profile, date__gte=recent).delete()  # their rebuild is queued
    waiting = Media.objects.filter(
        profile=lab.profile, is_deleted=False, timestamp__gte=periods.Period(recent, timezone.localdate()).bounds()[0]
    )

    text = page_text(signed_in.get(reverse("engagement", args=[lab.profile.pk]) + "?period=90"))

    assert f"{waiting.count()} more posts of this period have been collected since these numbers" in text
    assert 'id="stat-er_reach"' in text  # the numbers already added up stay on the page


def test_another_organizations_profile_is_not_found(signed_in, db):
    stranger = account("someone.else")
    assert signed_in.get(reverse("engagement", args=[stranger.profile.pk])).status_code == 404
    assert signed_in.get(reverse("comments", args=[stranger.profile.pk])).status_code == 404


def test_a_rate_limited_profile_says_when_collection_resumes(signed_in, lab):
    Profile.objects.filter(pk=lab.profile.pk).update(collection_status=CollectionStatus.PAUSED)
    text = page_text(signed_in.get(reverse("engagement", args=[lab.profile.pk])))
    assert 'id="banner-rate-limited"' in text


def test_a_profile_paused_by_our_own_budget_does_not_blame_meta(signed_in, lab, settings):
    settings.META_HOURLY_CALL_BUDGET = 180
    Profile.objects.filter(pk=lab.profile.pk).update(
        collection_status=CollectionStatus.BUDGET_SPENT, next_retry_at=timezone.now() + timedelta(minutes=20)
    )
    text = page_text(signed_in.get(reverse("engagement", args=[lab.profile.pk])))
    assert 'id="banner-call-budget"' in text and 'id="banner-rate-limited"' not in text
    assert "used the 180 Graph API calls an hour that we allow each account" in text
    assert "Meta did not refuse anything" in text and "Collection resumes at" in text
    dashboard = page_text(signed_in.get(reverse("dashboard")))
    assert "Paused by our call budget" in dashboard and "Paused by rate limit" not in dashboard


def test_a_running_backfill_shows_its_progress(signed_in, lab):
    Profile.objects.filter(pk=lab.profile.pk).update(
        backfill_started_at=timezone.now(), backfill_total=1200, backfill_done=300
    )
    text = page_text(signed_in.get(reverse("profile", args=[lab.profile.pk])))
    assert "300 of 1,200 media" in text and 'value="25"' in text


def test_the_engagement_page_query_count_does_not_grow_with_the_data(client, db, django_assert_max_num_queries):
    small, large = account("small.campus"), account("large.campus")
    populate(small.profile, media=100, comments_per_media=2, days=90)
    populate(large.profile, media=1500, comments_per_media=10, days=90, seed=3)
    counts = []
    for lab in (small, large):
        client.force_login(lab.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("engagement", args=[lab.profile.pk]) + "?period=90").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(15):
        client.get(reverse("engagement", args=[large.profile.pk]) + "?period=90")
