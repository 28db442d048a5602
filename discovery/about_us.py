"""What others post about us: media that tag the account, and captions or comments that
@mention it (stored by the mentions webhook, its text fetched by webhooks.tasks.fetch_mention)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from collector.models import Profile
from meta.discovery import parse_time

KINDS = {"tag": _("Tagged us"), "caption": _("Mentioned us in a post"), "comment": _("Mentioned us in a comment")}
EXPORT_COLUMNS = [
    "kind",
    "timestamp",
    "username",
    "text",
    "permalink",
    "like_count",
    "comments_count",
    "media_id",
    "comment_id",
]


@dataclass
class Item:
    kind: str
    timestamp: datetime | None
    username: str
    text: str
    permalink: str
    like_count: int | None
    comments_count: int | None
    media_id: str
    comment_id: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def _tags(profile: Profile, limit: int | None) -> list[Item]:
    rows = profile.tagged_media.order_by("-timestamp")
    return [
        Item("tag", t.timestamp, t.username, t.caption, t.permalink, t.like_count, t.comments_count, t.meta_id)
        for t in (rows[:limit] if limit else rows.iterator())
    ]


def _mention(mention: Any) -> Item:
    fetched = (mention.raw or {}).get("fetched") or {}
    body = fetched.get("mentioned_comment") or fetched.get("mentioned_media") or {}
    when = parse_time(body["timestamp"]) if body.get("timestamp") else mention.created_at
    media = body.get("media") or {}
    return Item(
        "comment" if mention.comment_id else "caption",
        when,
        str(body.get("username") or ""),
        str(body.get("text") or body.get("caption") or ""),
        str(body.get("permalink") or media.get("permalink") or ""),
        body.get("like_count"),
        body.get("comments_count"),
        mention.media_id,
        mention.comment_id,
    )


def items(profile: Profile, limit: int | None = None) -> list[Item]:
    mentions = profile.mentions.order_by("-created_at")
    found = _tags(profile, limit) + [_mention(m) for m in (mentions[:limit] if limit else mentions.iterator())]
    found.sort(key=lambda item: item.timestamp.timestamp() if item.timestamp else 0, reverse=True)
    return found[:limit] if limit else found


def export_rows(profile: Profile) -> Iterator[list[Any]]:
    yield EXPORT_COLUMNS
    for item in items(profile):
        yield [
            item.kind, item.timestamp.isoformat() if item.timestamp else "", item.username, item.text,
            item.permalink, item.like_count, item.comments_count, item.media_id, item.comment_id,
        ]  # fmt: skip
