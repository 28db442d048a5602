"""Writes into collector's models, shared by the handlers: idempotent, because Meta repeats itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, F, QuerySet
from django.utils import timezone

from collector.coded import CODED_FIELDS, coded_values
from collector.gaps import DataGap, GapReason
from collector.models import Comment, CommentSource, Media, MediaProductType, Profile
from webhooks.changes import Batch

# Meta sends a comment's webhook within seconds; a comment polling finds older than this when we
# first saw it is one its webhook never brought.
WEBHOOK_GRACE = timedelta(minutes=3)


def media_for(
    profile: Profile, media_id: str, batch: Batch, *, product_type: str | None, seen_at: datetime
) -> Media:
    """The profile's media with that id; a placeholder when we do not know it yet.

    The placeholder lets the comment or insight be stored now, and the profile's partial sync
    (queued through `batch.needs_sync`) fills in the rest by upserting on the same Meta id.
    """
    key = (profile.pk, media_id)
    media = batch.lookups.media.get(key) or Media.objects.filter(profile=profile, meta_id=media_id).first()
    if media is not None:
        batch.lookups.media[key] = media
        return media
    known_types = {choice.value for choice in MediaProductType}
    media, _created = Media.objects.get_or_create(
        profile=profile,
        meta_id=media_id,
        defaults={
            "media_product_type": product_type if product_type in known_types else MediaProductType.FEED,
            "timestamp": seen_at,
            "raw": {"placeholder": "created from a webhook before the media was collected"},
        },
    )
    batch.needs_sync.add(profile.pk)
    batch.lookups.media[key] = media
    return media


def upsert_comment(
    profile: Profile,
    media: Media,
    meta_id: str,
    *,
    parent_id: str,
    author_id: str,
    username: str,
    text: str,
    timestamp: datetime,
    raw: dict[str, Any],
) -> None:
    """One row per (profile, Meta id), whatever the number of deliveries or workers racing.

    INSERT … ON CONFLICT keeps the first row's source and time of first sight, so a comment
    polled first stays counted as polled (the "webhooks not arriving" check relies on it).
    """
    parent = Comment.objects.filter(profile=profile, meta_id=parent_id).first() if parent_id else None
    Comment.objects.bulk_create(
        [
            Comment(
                profile=profile,
                media=media,
                parent=parent,
                meta_id=meta_id,
                author_id=author_id,
                username=username,
                text=text,
                timestamp=timestamp,
                source=CommentSource.WEBHOOK,
                raw=raw,
                **coded_values(text),
            )
        ],
        update_conflicts=True,
        unique_fields=["profile", "meta_id"],
        update_fields=["text", "username", "author_id", "updated_at", *CODED_FIELDS],
    )


def missed_by_webhooks(profile: Any, connected_at: Any) -> QuerySet[Comment]:
    """Comments only polling found though a webhook should have brought them: made on Meta after the
    profile was connected, and older than WEBHOOK_GRACE when first seen. Arguments may be OuterRefs."""
    return Comment.objects.filter(
        profile=profile,
        source=CommentSource.POLL,
        is_deleted=False,
        timestamp__gte=connected_at,
        first_seen_at__gt=F("timestamp") + WEBHOOK_GRACE,
    )


def webhooks_arrive_again(profile: Profile, comment_time: datetime) -> None:
    """A comment webhook just arrived: unless polling found a later comment that no webhook brought,
    the "webhooks not arriving" flag is stale now, not at the next check (30 minutes later).
    The check's window restarts here, so misses older than this delivery do not raise it again."""
    later_misses = missed_by_webhooks(profile, profile.created_at).filter(timestamp__gt=comment_time)
    if Profile.objects.filter(pk=profile.pk, webhooks_missing=True).exclude(Exists(later_misses)).update(
        webhooks_missing=False, webhooks_checked_at=timezone.now()
    ):
        DataGap.objects.end(profile.pk, GapReason.WEBHOOKS_MISSING)


def set_comment_state(profile: Profile, meta_id: str, **state: bool) -> int:
    """Hide, unhide or delete a comment we hold; returns how many rows changed."""
    return Comment.objects.filter(profile=profile, meta_id=meta_id).update(**state, updated_at=timezone.now())
