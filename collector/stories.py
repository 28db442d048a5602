"""Stories and their insights while they live (24 h), each reading stored with its provenance.

The hourly read (`collect_stories`, beat "collector: stories") lists the live stories with their
insights and writes one capture per story per read, even when nothing changed: the series says
when we looked. The pre-expiry read (`pre_expiry`, queued by storyvault.tasks.tend_vault) asks each
story about to expire for its insights once more. A reading Meta refuses is stored too, as a
capture without values and the reason (MediaInsight.unavailable), never as zeros.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

from collector import pipeline
from collector.collect import Job
from collector.models import Media, MediaInsight, MediaProductType, Platform, Provenance, Unavailable
from meta import instagram
from meta import stories as meta_stories
from meta.errors import NotEnoughViewers, ObjectMissing

LIFETIME = timedelta(hours=24)
# The last reading is taken inside the story's final PRE_EXPIRY minutes (the vault's beat runs
# every 5 minutes, so each story gets its turn).
PRE_EXPIRY = timedelta(minutes=30)
READ_COLUMNS = list(pipeline.INSIGHT_COLUMNS)


def collect_stories(job: Job) -> None:
    """Live stories and their insights, read hourly so nothing is lost at the 24 h expiry."""
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        return
    items = instagram.stories(job.client, profile.meta_id)
    now = timezone.now()
    frame = pipeline.transform(items)
    job.upserted += pipeline.load(profile, frame, captured_at=now).upserted
    job.upserted += _record(profile.pk, frame, now)
    job.notes["stories"] = len(items)


def _reason(row: dict[str, Any]) -> str:
    if row["insights_unavailable"] == instagram.BELOW_PRIVACY_FLOOR:
        return Unavailable.BELOW_PRIVACY_FLOOR
    return "" if row["has_insights"] else Unavailable.NOT_YET


def _record(profile_id: int, frame: pd.DataFrame, now: datetime) -> int:
    """One live capture per story listed: the pipeline wrote those whose values changed; the others
    get theirs here (same values, this time), and a story without values gets its reason."""
    if frame.empty:
        return 0
    media = dict(
        Media.objects.filter(profile_id=profile_id, meta_id__in=frame["meta_id"].tolist()).values_list("meta_id", "pk")
    )
    captures = []
    for row in frame.to_dict("records"):
        values = {name: None if pd.isna(row[name]) else int(row[name]) for name in READ_COLUMNS}
        captures.append(
            MediaInsight(
                media_id=media[row["meta_id"]], captured_at=now, provenance=Provenance.LIVE,
                unavailable=_reason(row), navigation_breakdown=row["navigation_breakdown"] or {},
                raw=row["insights_raw"] or {}, **values,
            )
        )  # fmt: skip
    # A story the pipeline just captured (its values changed) keeps that row: same values, same time,
    # provenance live by default. Stories without values are never captured by the pipeline.
    MediaInsight.objects.bulk_create(captures, ignore_conflicts=True)
    return len(captures)


def _expiring(now: datetime) -> QuerySet[Media]:
    """Stories in their last PRE_EXPIRY (by their posting time) without a pre-expiry reading yet."""
    return Media.objects.filter(
        media_product_type=MediaProductType.STORY,
        is_deleted=False,
        timestamp__gt=now - LIFETIME,
        timestamp__lte=now - LIFETIME + PRE_EXPIRY,
        profile__credential__isnull=False,
    ).exclude(insights__provenance=Provenance.PRE_EXPIRY)


def expiring(profile_id: int, now: datetime | None = None) -> list[Media]:
    return list(_expiring(now or timezone.now()).filter(profile_id=profile_id))


def expiring_profiles(now: datetime) -> list[int]:
    return sorted(set(_expiring(now).values_list("profile_id", flat=True)))


def pre_expiry(job: Job) -> None:
    """The last reading of each story about to expire, stored as `pre_expiry`."""
    for story in expiring(job.profile.pk):
        now = timezone.now()
        values: dict[str, Any] = {}
        unavailable, raw = "", {}
        try:
            raw = meta_stories.story_insights(job.client, story.meta_id)
            values = pipeline.metric_values(raw)
            unavailable = "" if values else Unavailable.NOT_YET
        except NotEnoughViewers as exc:
            unavailable, raw = Unavailable.BELOW_PRIVACY_FLOOR, {"error": str(exc)}
        except ObjectMissing as exc:
            unavailable, raw = Unavailable.EXPIRED, {"error": str(exc)}
        breakdown = values.pop("navigation_breakdown", {})
        MediaInsight.objects.update_or_create(
            media=story,
            captured_at=now,
            defaults={
                "provenance": Provenance.PRE_EXPIRY, "unavailable": unavailable, "raw": raw,
                "navigation_breakdown": breakdown, **values,
            },
        )  # fmt: skip
        copied = {name: values[name] for name in pipeline.DENORMALISED if values.get(name) is not None}
        if copied:
            Media.objects.filter(pk=story.pk).update(**copied, insights_updated_at=now, updated_at=now)
        job.upserted += 1
        job.heartbeat()
