"""Instagram `comments` and `live_comments`: a new comment or reply on one of our media."""

from __future__ import annotations

from collector.models import Profile
from webhooks.changes import Batch, Change
from webhooks.store import media_for, upsert_comment, webhooks_arrive_again


def handle(change: Change, profile: Profile, batch: Batch) -> None:
    value = change.value
    # The reference says `id`; Meta's examples page says `comment_id`.
    meta_id = str(value.get("id") or value.get("comment_id") or "")
    media_info = value.get("media") or {}
    media_id = str(media_info.get("id") or "")
    if not meta_id or not media_id:
        batch.ignore(f"{change.field} without a comment or media id")
        return
    media = media_for(
        profile, media_id, batch, product_type=media_info.get("media_product_type"), seen_at=change.time
    )
    author = value.get("from") or {}
    upsert_comment(
        profile,
        media,
        meta_id,
        parent_id=str(value.get("parent_id") or ""),
        author_id=str(author.get("id") or ""),
        username=str(author.get("username") or ""),
        text=str(value.get("text") or ""),
        timestamp=change.time,
        raw=value,
    )
    webhooks_arrive_again(profile, change.time)
