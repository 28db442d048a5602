"""Comments read from Meta rather than delivered by webhooks: the poll, and the upsert it shares
with the backfill's first page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.utils import timezone

from collector import pipeline
from collector.coded import CODED_FIELDS, coded_values
from collector.models import Comment, CommentSource, Media, Profile
from meta import instagram

if TYPE_CHECKING:  # collector.collect loads comments through this module
    from collector.collect import Job

COMMENT_MEDIA_PER_RUN = 20
RECENT_COMMENTS = timedelta(days=14)


def poll_comments(job: Job, limit: int = COMMENT_MEDIA_PER_RUN) -> None:
    """Comment polling, the safety net under comment webhooks.

    Every Instagram profile is polled: hourly, and every 15 minutes while it is flagged
    `webhooks_missing` (tasks.poll_comments_all picks them). A poll
    1. reads the comment counts of the media posted in the last RECENT_COMMENTS (one call per
       100 media) and stores the changed ones on Media;
    2. reads the comments of the media whose count on Meta exceeds what we hold (these recent
       ones, or older ones whose count a sync refreshed), newest first, `limit` media a run,
       and stores those never seen with source=poll (a comment a webhook delivered keeps its
       source). Media whose comments all came by webhook cost nothing beyond step 1.

    It does not set `Profile.webhooks_missing`: one place decides that flag,
    webhooks.arrival.check_webhooks_arriving (every 30 minutes), from this very evidence: comments
    a poll stored that were made on Meta after the profile was connected and were older than the
    webhook grace (minutes) when first seen, so webhooks should have delivered them and did not;
    the history a first poll loads never counts, nor do the comments the first backfill stored
    (source=backfill, not poll: history, whenever it was made). Step 1 is what lets a poll find them within the
    hour even when no sync touched their media.
    """
    profile = job.profile
    now = timezone.now()
    counts: dict[str, int] = {}
    for page in instagram.comment_counts(job.client, profile.meta_id, now - RECENT_COMMENTS):
        counts.update({str(m["id"]): m["comments_count"] for m in page.get("data") or [] if "comments_count" in m})
    stale = [
        media
        for media in Media.objects.filter(profile=profile, meta_id__in=counts).only("pk", "meta_id", "comments_count")
        if media.comments_count != counts[media.meta_id]
    ]
    for media in stale:
        media.comments_count = counts[media.meta_id]
    Media.objects.bulk_update(stale, ["comments_count"])
    lagging = (
        Media.objects.filter(profile=profile, is_deleted=False, comments_count__gt=0)
        .annotate(held=Count("comments", filter=Q(comments__is_deleted=False)))
        .filter(comments_count__gt=F("held"))
        .order_by("-timestamp")[:limit]
    )
    for media in lagging:
        for page in instagram.comment_pages(job.client, media.meta_id):
            job.upserted += load_comments(profile, media, page.get("data") or [])
            job.heartbeat()
        Media.objects.filter(pk=media.pk).update(comments_polled_at=now)


def load_comments(
    profile: Profile, media: Media, items: list[dict[str, Any]], source: CommentSource = CommentSource.POLL
) -> int:
    """Upsert comments and their replies (parents first, so replies can point at them)."""
    tops = [item for item in items if not item.get("parent_id")]
    replies = [
        {**reply, "parent_id": item["id"]} for item in items for reply in (item.get("replies") or {}).get("data", [])
    ]
    replies += [item for item in items if item.get("parent_id")]
    written = 0
    for batch in (tops, replies):
        if not batch:
            continue
        parents = dict(
            Comment.objects.filter(profile=profile, meta_id__in={c.get("parent_id") for c in batch}).values_list(
                "meta_id", "pk"
            )
        )
        rows = [
            Comment(
                profile=profile,
                media=media,
                parent_id=parents.get(c.get("parent_id")),
                meta_id=str(c["id"]),
                author_id=str((c.get("from") or {}).get("id", "")),
                username=c.get("username") or (c.get("from") or {}).get("username", ""),
                text=c.get("text") or "",
                timestamp=datetime.strptime(c["timestamp"], pipeline.GRAPH_TIME),
                like_count=c.get("like_count"),
                hidden=bool(c.get("hidden")),
                source=source,
                raw={k: v for k, v in c.items() if k != "replies"},
                **coded_values(c.get("text") or ""),
            )
            for c in batch
        ]
        Comment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["profile", "meta_id"],
            update_fields=["text", "like_count", "hidden", "parent", "raw", "updated_at", *CODED_FIELDS],
        )
        written += len(rows)
    return written
