"""The media's own insights: live stories (hourly, before they expire) and the metrics only one
product type has, refreshed by age (collect.BUCKETS)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from collector import pipeline
from collector.collect import BUCKETS, Job
from collector.models import Media, MediaInsight, MediaProductType
from meta import instagram
from meta.errors import MetaError

DEEP_PER_RUN = 50


def deep_insights(job: Job, limit: int = DEEP_PER_RUN) -> None:
    """The metrics only one product type has, for the media that need them most: never read
    first (newest first), then those whose age bucket says they are stale."""
    profile = job.profile
    now = timezone.now()
    candidates = Media.objects.filter(
        profile=profile,
        is_deleted=False,
        insights_unavailable="",  # Meta has none to give (posted before the business conversion)
        media_product_type__in=[MediaProductType.FEED, MediaProductType.REELS],
    )
    stale = Q(deep_insights_at__isnull=True)
    for _name, youngest, oldest, every in BUCKETS:
        age = Q(timestamp__lte=now - youngest) & (Q(timestamp__gt=now - oldest) if oldest else Q())
        stale |= age & Q(deep_insights_at__lt=now - every)
    chosen = list(
        candidates.filter(stale)
        .order_by(F("deep_insights_at").asc(nulls_first=True), "-timestamp")
        .only("pk", "meta_id", "media_product_type", *pipeline.DENORMALISED)[:limit]
    )
    if not chosen:
        return
    results = instagram.media_insights(job.client, [(m.meta_id, m.media_product_type) for m in chosen])
    captures = []
    for media in chosen:
        body = results.get(media.meta_id)
        if body is None:
            continue  # Meta did not finish this operation: it stays first in line
        values = {} if isinstance(body, MetaError) else pipeline.metric_values(body)
        values.pop("navigation_breakdown", None)
        copied = {name: getattr(media, name) for name in pipeline.DENORMALISED}
        raw = {"error": str(body)} if isinstance(body, MetaError) else body
        captures.append(MediaInsight(media=media, captured_at=now, raw=raw, **(copied | values)))
        media.deep_insights_at = now
    with transaction.atomic():
        MediaInsight.objects.bulk_create(captures, ignore_conflicts=True)
        Media.objects.bulk_update([m for m in chosen if m.deep_insights_at == now], ["deep_insights_at"])
    job.upserted += len(captures)
