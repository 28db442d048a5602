"""The messages page: conversations, one thread, and Meta's 24-hour window for replies.

Meta lets a business answer a person by direct message only within 24 hours of that person's
latest message (outside it, only tagged human-agent replies, which this app does not send).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from collector.models import Profile
from insights.models import ActionStatus, MessageReply
from webhooks.models import Conversation, Message

WINDOW = timedelta(hours=24)
MESSAGE_MAX_LENGTH = 1000  # Instagram's limit for a text message
THREAD_LIMIT = 200


@dataclass(frozen=True)
class Window:
    last_inbound_at: datetime | None

    @property
    def closes_at(self) -> datetime | None:
        return None if self.last_inbound_at is None else self.last_inbound_at + WINDOW

    @property
    def is_open(self) -> bool:
        return self.closes_at is not None and timezone.now() < self.closes_at


def conversations(profile: Profile, limit: int = 50) -> list[Conversation]:
    """The newest conversations with their last message's text and their window (one query)."""
    last = Message.objects.filter(conversation=OuterRef("pk"), is_deleted=False).order_by("-sent_at")
    inbound = Message.objects.filter(conversation=OuterRef("pk"), is_echo=False).order_by("-sent_at")
    rows = list(
        Conversation.objects.filter(profile=profile)
        .annotate(
            last_text=Subquery(last.values("text")[:1]),
            last_is_echo=Subquery(last.values("is_echo")[:1]),
            last_inbound_at=Subquery(inbound.values("sent_at")[:1]),
        )
        .order_by("-last_message_at", "-pk")[:limit]
    )
    for row in rows:
        row.window = Window(row.last_inbound_at)
    return rows


def thread(conversation: Conversation) -> dict[str, Any]:
    """The conversation's latest messages, oldest first, and replies not yet confirmed."""
    latest = list(Message.objects.filter(conversation=conversation).defer("raw").order_by("-sent_at")[:THREAD_LIMIT])
    unsent = list(conversation.replies.exclude(status=ActionStatus.DONE).order_by("created_at"))
    return {"messages": latest[::-1], "unsent": unsent}


def window(conversation: Conversation) -> Window:
    last_inbound = (
        Message.objects.filter(conversation=conversation, is_echo=False)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return Window(last_inbound)


def reply_blocker(profile: Profile) -> str:
    """Why no reply can be sent from this profile right now, in the viewer's language; "" if it can."""
    credential = profile.credential
    if credential is None or not credential.is_usable:
        return str(_("Replies are off until the account's connection is renewed: reconnect it, then answer here."))
    return ""


def request_reply(conversation: Conversation, user: Any, text: str) -> MessageReply:
    from insights.tasks import send_message_reply

    reply = MessageReply.objects.create(conversation=conversation, text=text, requested_by=user)
    transaction.on_commit(lambda: send_message_reply.delay(reply.pk))
    return reply
