"""Each product type gets the metrics Meta has for it, and no request ever names a dead or
unsupported metric (Meta would answer error 100 and fail the whole page)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collector.models import CollectionRun, Media, MediaInsight, RunKind, RunOutcome
from collector.tasks import backfill_profile, collect_stories, refresh_deep_insights
from meta import metrics
from tests.waiting import wait_for


def test_it_refuses_dead_or_mismatched_metrics_before_any_request() -> None:
    for dead in ("impressions", "plays", "engagement", "video_views"):
        with pytest.raises(ValueError):
            metrics.checked(["reach", dead])
    with pytest.raises(ValueError):
        metrics.checked(["follows"], "REELS")
    with pytest.raises(ValueError):
        metrics.checked(["saved"], "STORY")
    assert set(metrics.MEDIA_PAGE) <= set(metrics.FEED) & set(metrics.REELS)


def test_reels_posts_carousels_and_stories_each_get_their_valid_metrics(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("ifma.saoluis")
    backfill_profile.delay(profile.pk)
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.OK).exists(), 120)
    refresh_deep_insights.delay(profile.pk)
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.INSIGHTS, outcome=RunOutcome.OK).exists(), 60)
    collect_stories.delay(profile.pk)
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.STORIES, outcome=RunOutcome.OK).exists(), 60)

    deep = MediaInsight.objects.filter(media__profile=profile, media__deep_insights_at__isnull=False)
    reel = deep.filter(media__media_product_type="REELS", ig_reels_avg_watch_time__isnull=False).first()
    post = deep.filter(media__media_type="IMAGE", media__media_product_type="FEED", follows__isnull=False).first()
    carousel = deep.filter(media__media_type="CAROUSEL_ALBUM", profile_visits__isnull=False).first()
    assert reel and reel.follows is None and reel.ig_reels_video_view_total_time is not None
    assert post and post.ig_reels_avg_watch_time is None and post.profile_visits is not None
    assert carousel and carousel.media.children
    assert Media.objects.filter(profile=profile, media_product_type="FEED", saved__isnull=False).exists()

    stories = Media.objects.filter(profile=profile, media_product_type="STORY")
    assert stories.exists()
    captured = MediaInsight.objects.filter(media__in=stories, reach__isnull=False)
    assert captured.exists()
    assert all(i.saved is None and i.likes is None for i in captured)
    assert captured.filter(navigation__isnull=False, replies__isnull=False).exists()
    for insight in captured:  # stored while the story was still live
        assert insight.captured_at - insight.media.timestamp < timedelta(hours=24)

    failures = [e for e in sandbox.calls()["by_endpoint"] if "error" in e]
    assert failures == []
    assert "UnsupportedMetric" not in (profile.runs.values_list("error", flat=True).first() or "")
    assert not any("(#100)" in str(i.raw) for i in MediaInsight.objects.filter(media__profile=profile))
