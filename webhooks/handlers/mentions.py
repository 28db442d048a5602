"""Instagram `mentions`: someone @mentioned the profile in a caption or a comment.

The webhook names only ids; what was said is fetched from Meta by a task after the delivery
is stored, never in the request.
"""

from __future__ import annotations

from collector.models import Mention, Profile
from webhooks.changes import Batch, Change


def handle(change: Change, profile: Profile, batch: Batch) -> None:
    media_id = str(change.value.get("media_id") or "")
    if not media_id:
        batch.ignore("mention without media_id")
        return
    mention, created = Mention.objects.get_or_create(
        profile=profile,
        media_id=media_id,
        comment_id=str(change.value.get("comment_id") or ""),
        defaults={"raw": {"webhook": change.value}},
    )
    if created:
        batch.mentions_to_fetch.append(mention.pk)
