"""Page `feed`: comments on the Page's posts are added, edited, removed, hidden, unhidden.

Other items (statuses, reactions, likes…) and anything the Page did itself are dropped: the
Page's own actions already went through us or are in its Graph data.
"""

from __future__ import annotations

from collector.models import Profile
from webhooks.changes import Batch, Change, meta_time
from webhooks.store import media_for, set_comment_state, upsert_comment

STATE_BY_VERB = {"remove": {"is_deleted": True}, "hide": {"hidden": True}, "unhide": {"hidden": False}}


def handle(change: Change, profile: Profile, batch: Batch) -> None:
    value = change.value
    author = value.get("from") or {}
    if str(author.get("id") or "") == change.entry_id:
        batch.ignore("feed event from the Page itself")
        return
    item, verb = value.get("item"), value.get("verb")
    if item != "comment":
        batch.ignore(f"feed item {item}")
        return
    comment_id = str(value.get("comment_id") or "")
    post_id = str(value.get("post_id") or "")
    if not comment_id:
        batch.ignore("feed comment without comment_id")
        return
    if verb in STATE_BY_VERB:
        set_comment_state(profile, comment_id, **STATE_BY_VERB[verb])
        return
    if verb not in ("add", "edited") or not post_id:
        batch.ignore(f"feed comment verb {verb}")
        return
    when = meta_time(value.get("created_time"), change.time)
    media = media_for(profile, post_id, batch, product_type=None, seen_at=when)
    parent_id = str(value.get("parent_id") or "")
    upsert_comment(
        profile,
        media,
        comment_id,
        # A top-level comment's parent is the post itself.
        parent_id="" if parent_id == post_id else parent_id,
        author_id=str(author.get("id") or ""),
        username=str(author.get("name") or ""),
        text=str(value.get("message") or ""),
        timestamp=when,
        raw=value,
    )
