"""Daily aggregates: one DailyMetric row per profile, day and media kind, built in one query."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from collector.models import INTERACTIONS as INTERACTIONS  # the expression Media.er_reach is generated from
from collector.models import Media, MediaProductType, MediaType, Profile
from insights.models import DailyMetric, MediaKind


def kind_of(prefix: str = "", value: Callable[[MediaKind], Any] = lambda kind: kind.value) -> Case:
    """MediaKind (the one vocabulary of media types) in SQL; `prefix` reaches Media from another
    model ("media__" from a MediaInsight); `value` gives what each kind is written as."""
    return Case(
        When(**{f"{prefix}media_product_type": MediaProductType.STORY}, then=Value(value(MediaKind.STORY))),
        When(
            Q(**{f"{prefix}media_product_type": MediaProductType.REELS})
            | Q(**{f"{prefix}media_type": MediaType.VIDEO}),
            then=Value(value(MediaKind.REEL)),
        ),
        When(**{f"{prefix}media_type": MediaType.CAROUSEL_ALBUM}, then=Value(value(MediaKind.CAROUSEL))),
        default=Value(value(MediaKind.IMAGE)),
    )


KIND = kind_of()
# The kinds in alphabetical order, and each media's kind as its position in it (a small integer
# the research frame turns into a category without reading a string per post).
KINDS = tuple(sorted(MediaKind.values))
KIND_CODE = kind_of(value=lambda kind: KINDS.index(kind.value))


def rebuild_daily_metrics(profile_id: int, since: date | datetime | None = None) -> int:
    """Recompute the profile's daily rows from `since` (a day in the site time zone; None: all).

    Idempotent: the rows of those days are replaced in one transaction, so a page never sees
    half a rebuild. Returns how many rows were written.
    """
    if isinstance(since, datetime):
        since = timezone.localdate(since, timezone.get_default_timezone())
    with transaction.atomic():
        # One rebuild of a profile at a time (two runs can end together): the second waits here,
        # then reads the media as the first left them, instead of inserting beside its rows.
        if not list(Profile.objects.select_for_update().filter(pk=profile_id).values_list("pk", flat=True)):
            return 0
        metrics = _daily_rows(profile_id, since)
        stale = DailyMetric.objects.filter(profile_id=profile_id)
        if since is not None:
            stale = stale.filter(date__gte=since)
        stale.delete()
        DailyMetric.objects.bulk_create(metrics, batch_size=1000)
    return len(metrics)


def _daily_rows(profile_id: int, since: date | None) -> list[DailyMetric]:
    rows = _daily_sums(profile_id, since)
    now = timezone.now()
    return [
        DailyMetric(
            profile_id=profile_id,
            date=row["day"],
            kind=row["media_kind"],
            posts=row["n_posts"],
            posts_with_reach=row["n_with_reach"],
            reach=row["s_reach"],
            views=row["s_views"],
            likes=row["s_likes"],
            comments=row["s_comments"],
            saves=row["s_saves"],
            shares=row["s_shares"],
            interactions=row["s_interactions"],
            interactions_with_reach=row["s_interactions_with_reach"],
            rebuilt_at=now,
        )
        for row in rows
    ]


def _daily_sums(profile_id: int, since: date | None) -> QuerySet[Media, dict[str, Any]]:
    """One row per (day in the site time zone, media kind) of the profile's media, with the sums
    each DailyMetric keeps (one GROUP BY query)."""
    media = Media.objects.filter(profile_id=profile_id, is_deleted=False)
    if since is not None:
        site_zone = timezone.get_default_timezone()
        media = media.filter(timestamp__gte=datetime.combine(since, time.min, tzinfo=site_zone))
    return (
        media.annotate(day=TruncDate("timestamp", tzinfo=timezone.get_default_timezone()), media_kind=KIND)
        .values("day", "media_kind")
        .annotate(
            n_posts=Count("id"),
            n_with_reach=Count("id", filter=Q(reach__gt=0)),
            s_reach=Coalesce(Sum("reach"), 0),
            s_views=Coalesce(Sum("views"), 0),
            s_likes=Coalesce(Sum("like_count"), 0),
            s_comments=Coalesce(Sum("comments_count"), 0),
            s_saves=Coalesce(Sum("saved"), 0),
            s_shares=Coalesce(Sum("shares"), 0),
            s_interactions=Coalesce(Sum(INTERACTIONS), 0),
            s_interactions_with_reach=Coalesce(Sum(INTERACTIONS, filter=Q(reach__gt=0)), 0),
        )
        .order_by()
    )
