"""What an Instagram account was @mentioned in: a caption or a comment, read by its ids.

The `mentions` webhook carries only ids; `GET /{ig-user-id}?fields=mentioned_comment.comment_id(…)`
or `mentioned_media.media_id(…)` (Meta's Mentioned Comment and Mentioned Media nodes) reads what
was said, with the mentioned account's own token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meta.client import GraphClient

MENTIONED_MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,permalink,timestamp,username,like_count,comments_count"
)
MENTIONED_COMMENT_FIELDS = "id,text,timestamp,username,like_count,media{id,permalink}"


@dataclass(frozen=True)
class Mentioned:
    """Meta's answer as it came (`mentioned_comment` or `mentioned_media`, and the account's `id`)."""

    body: dict[str, Any]


def mentioned(client: GraphClient, ig_user_id: str, *, media_id: str, comment_id: str = "") -> Mentioned:
    """The comment `comment_id` when there is one, else the media `media_id`."""
    if comment_id:
        fields = f"mentioned_comment.comment_id({comment_id}){{{MENTIONED_COMMENT_FIELDS}}}"
    else:
        fields = f"mentioned_media.media_id({media_id}){{{MENTIONED_MEDIA_FIELDS}}}"
    return Mentioned(body=client.get(ig_user_id, {"fields": fields}))
