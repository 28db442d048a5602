"""The messages page: conversations, one thread, and Meta's messaging windows for replies.

Meta lets a business answer a person by direct message within 24 hours of that person's
latest message (a RESPONSE). From 24 hours to 7 days, only a person may answer, tagged
HUMAN_AGENT: this app does so only when a member clicks Send on the messages page (the
MessageReply remembers it), never from anything automated. After 7 days nothing can be sent.
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
from insights import audit
from insights.models import ActionStatus, AuditAction, MessageReply, QuickReply
from insights.tasks import send_message_reply
from webhooks.models import Conversation, Message

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
MESSAGE_MAX_LENGTH = 1000  # Instagram's limit for a text message
THREAD_LIMIT = 200
RESPONSE, HUMAN_AGENT, CLOSED = "response", "human_agent", "closed"


@dataclass(frozen=True)
class Window:
    last_inbound_at: datetime | None

    @property
    def kind(self) -> str:
        """Which of Meta's windows applies now: "response", "human_agent" or "closed"."""
        if self.last_inbound_at is None:
            return CLOSED
        age = timezone.now() - self.last_inbound_at
        return RESPONSE if age < WINDOW else HUMAN_AGENT if age < HUMAN_AGENT_WINDOW else CLOSED

    @property
    def closes_at(self) -> datetime | None:
        """When the current window ends (the Human Agent one once the 24 hours have passed)."""
        if self.last_inbound_at is None:
            return None
        return self.last_inbound_at + (WINDOW if self.kind == RESPONSE else HUMAN_AGENT_WINDOW)

    @property
    def is_open(self) -> bool:
        return self.kind != CLOSED


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
        # Unread for the team: the person wrote after any member last opened the thread.
        row.unread = row.last_inbound_at is not None and (row.opened_at is None or row.opened_at < row.last_inbound_at)
    return rows


def mark_opened(conversation: Conversation) -> None:
    """A member opened the thread: it is no longer unread for anyone in the organization."""
    conversation.opened_at = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(opened_at=conversation.opened_at)


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


def request_reply(conversation: Conversation, user: Any, text: str, *, human_agent: bool) -> MessageReply:
    """Store what a member typed and clicked Send on, then queue it: the messages view is the one
    caller, and `human_agent` is true only when that click came in the Human Agent window."""
    reply = MessageReply.objects.create(
        conversation=conversation, text=text, requested_by=user, human_agent=human_agent
    )
    action = AuditAction.MESSAGE_HUMAN_AGENT if human_agent else AuditAction.MESSAGE_REPLY
    audit.record(conversation.profile, user, action, f"conversation {conversation.pk}")
    transaction.on_commit(lambda: send_message_reply.delay(reply.pk))
    return reply


def quick_replies(profile: Profile) -> list[QuickReply]:
    return list(QuickReply.objects.filter(organization_id=profile.organization_id))


def save_quick_reply(profile: Profile, user: Any, title: str, text: str) -> QuickReply:
    saved = QuickReply.objects.create(organization_id=profile.organization_id, title=title, text=text, created_by=user)
    audit.record(profile, user, AuditAction.QUICK_REPLY_CREATE, f"quick reply {saved.pk}")
    return saved


def delete_quick_reply(profile: Profile, user: Any, pk: int) -> bool:
    deleted, _rows = QuickReply.objects.filter(organization_id=profile.organization_id, pk=pk).delete()
    if deleted:
        audit.record(profile, user, AuditAction.QUICK_REPLY_DELETE, f"quick reply {pk}")
    return bool(deleted)
