"""The comments page's threads and filters, and the moderation requests it sends to a task."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import ngettext

from collector.coded import Flag, Sentiment
from collector.models import Comment, Media, MediaProductType, Profile
from insights import audit
from insights.models import ActionKind, CommentAction, MediaKind
from insights.tasks import perform_comment_action

PAGE_SIZE = 20
REPLY_MAX_LENGTH = 2200  # Instagram's caption and comment limit
# "questions": questions not yet answered, what a campus team reads first.
STATUSES = ("all", "questions", "unanswered", "hidden")
COMMENT_COLUMNS = (
    "id",
    "meta_id",
    "media_id",
    "parent_id",
    "author_id",
    "username",
    "text",
    "timestamp",
    "like_count",
    "hidden",
    "is_deleted",
    "sentiment",
    "is_question",
    "is_complaint",
    "is_praise",
    "is_spam",
    "coded_by",
)


def by_owner(profile: Profile) -> Q:
    """Comments the account wrote itself (its replies)."""
    return Q(username=profile.username) if profile.username else Q(author_id=profile.meta_id)


@dataclass(frozen=True)
class CommentFilter:
    status: str = "all"
    text: str = ""
    start: date | None = None
    end: date | None = None
    media_id: int | None = None
    page: int = 1
    sentiment: str = ""
    flag: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> CommentFilter:
        status = params.get("status", "all")
        media = params.get("media", "")
        page = params.get("page", "1")
        try:
            start, end = parse_date(params.get("start") or ""), parse_date(params.get("end") or "")
        except ValueError:
            start = end = None
        return cls(
            status=status if status in STATUSES else "all",
            text=(params.get("q") or "").strip()[:200],
            start=start,
            end=end,
            media_id=int(media) if media.isdigit() else None,
            page=max(1, min(int(page), 10_000)) if page.isdigit() else 1,
            sentiment=_choice(params.get("sentiment"), Sentiment.values),
            flag=_choice(params.get("flag"), Flag.values),
        )

    @property
    def is_filtered(self) -> bool:
        return self.status != "all" or bool(
            self.text or self.start or self.end or self.media_id or self.sentiment or self.flag
        )

    def query(self, **changes: Any) -> str:
        """This filter's query string, with some values changed (for paging links)."""
        values = {
            "status": self.status if self.status != "all" else "",
            "q": self.text,
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "media": str(self.media_id or ""),
            "sentiment": self.sentiment,
            "flag": self.flag,
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({key: str(value) for key, value in changes.items()})
        return urlencode({key: value for key, value in values.items() if value})

    def apply(self, profile: Profile, comments: QuerySet[Comment]) -> QuerySet[Comment]:
        zone = timezone.get_current_timezone()
        if self.media_id:
            comments = comments.filter(media_id=self.media_id)
        if self.start:
            comments = comments.filter(timestamp__gte=datetime.combine(self.start, time.min, tzinfo=zone))
        if self.end:
            comments = comments.filter(
                timestamp__lt=datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
            )
        if self.text:
            comments = comments.filter(Q(text__icontains=self.text) | Q(username__icontains=self.text))
        if self.sentiment:
            comments = comments.filter(sentiment=self.sentiment)
        if self.flag:
            comments = comments.filter(**{f"is_{self.flag}": True})
        if self.status in ("unanswered", "questions"):
            owner_reply = Comment.objects.filter(by_owner(profile), parent=OuterRef("pk"))
            comments = comments.filter(is_deleted=False).exclude(by_owner(profile)).exclude(Exists(owner_reply))
            comments = comments.filter(is_question=True) if self.status == "questions" else comments
        elif self.status == "hidden":
            hidden_reply = Comment.objects.filter(parent=OuterRef("pk"), hidden=True)
            comments = comments.filter(Q(hidden=True) | Exists(hidden_reply))
        return comments


def _choice(value: str | None, allowed: list[str]) -> str:
    return value if value in allowed else ""


@dataclass
class Threads:
    comments: list[Comment]
    has_next: bool
    actions: dict[int, CommentAction]


def threads(profile: Profile, chosen: CommentFilter) -> Threads:
    """One page of top-level comments with their replies and each one's latest moderation state.

    Three queries whatever the size of the profile: the page (keyed on the profile's time
    index, one row more than shown to know whether a next page exists), the latest actions, and
    the replies. The actions before the replies: a reply and the action that wrote it commit
    together, so an action read as done always finds its reply (read the other way round, a reply
    sent between the two reads showed "Reply sent" with no reply, and the page stopped polling).
    """
    top_level = Comment.objects.filter(profile=profile, parent__isnull=True).only(*COMMENT_COLUMNS)
    offset = (chosen.page - 1) * PAGE_SIZE
    page = list(
        chosen.apply(profile, top_level)
        .select_related(None)
        .order_by("-timestamp", "-id")[offset : offset + PAGE_SIZE + 1]
    )
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    actions = CommentAction.objects.latest_per_comment([comment.pk for comment in page]) if page else {}
    replies = Comment.objects.only(*COMMENT_COLUMNS).order_by("timestamp")
    prefetch_related_objects(page, Prefetch("replies", queryset=replies))
    for comment in page:
        comment.answered = any(_matches_owner(profile, reply) for reply in comment.replies.all())
        comment.by_owner = _matches_owner(profile, comment)
    return Threads(page, has_next, actions)


def _matches_owner(profile: Profile, comment: Comment) -> bool:
    return comment.username == profile.username if profile.username else comment.author_id == profile.meta_id


def recent_posts(profile: Profile, limit: int = 50) -> list[Media]:
    """Posts to pick a thread from: the newest, with their comment counts (one LIMITed query)."""
    return list(
        Media.objects.filter(profile=profile, is_deleted=False)
        .only("id", "meta_id", "caption", "timestamp", "comments_count", "media_type", "media_product_type")
        .order_by("-timestamp")[:limit]
    )


def post_label(media: Media) -> str:
    """How a post is named in the comments page's post filter: never a bare Meta id.

    "Story · 1/12/2026 14:05 · 2 comments" (a story lasts a day: its time tells it apart),
    "1/12/2026 · Inscrições abertas para… · 60 comments" (a post: its caption's first words).
    """
    when = timezone.localtime(media.timestamp)
    count = media.comments_count or 0
    comments = ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}
    if media.media_product_type == MediaProductType.STORY or not media.caption:
        kind = MediaKind.of(media.media_type, media.media_product_type).label  # the one vocabulary of media types
        return f"{kind} · {date_format(when, 'SHORT_DATETIME_FORMAT')} · {comments}"
    return f"{date_format(when, 'SHORT_DATE_FORMAT')} · {Truncator(media.caption).chars(40)} · {comments}"


def request_action(comment: Comment, kind: str, user: Any, text: str = "") -> CommentAction:
    """Store the request and queue the task once it is committed: the page shows it pending."""
    action = CommentAction.objects.create(
        comment=comment, kind=ActionKind(kind), text=text if kind == ActionKind.REPLY else "", requested_by=user
    )
    audit.record(comment.profile, user, audit.COMMENT_ACTIONS[ActionKind(kind)], f"comment {comment.pk}")
    transaction.on_commit(lambda: perform_comment_action.delay(action.pk))
    return action
