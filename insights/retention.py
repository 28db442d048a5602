"""Retention: what other people sent us is deleted once it is older than the organisation keeps it.

A beat task (scheduled nightly at 04:20 UTC by accounts/migrations/0005_retention.py) applies each
organisation's three settings (Organization.*_retention_days, defaults in accounts.models.RETENTION_DEFAULTS).
It lives here, not in accounts, because it deletes rows of collector, webhooks and insights, and
accounts imports none of them (docs/architecture.md).

- raw webhook deliveries (the whole WebhookEvent row: body, exact bytes, report) older than
  webhook_body_retention_days, except those still waiting to be processed (the sweep needs them).
  Deliveries routed to no profile follow the default, as they belong to no organisation;
- direct messages older than message_retention_days, both ways: the account's own messages and the
  records of replies typed here go too, because they quote and answer the other person. A conversation
  is deleted once nothing is left in it (with the participant's id and username);
- comments older than comment_retention_days, the account's own replies included (same reason). A
  comment whose thread has a newer reply is kept until the reply is old enough, so nothing newer than
  the period is ever deleted, not even by cascade; its moderation records go with it.

Posts, insights and daily metrics are the account's own data and are not touched.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from celery import shared_task
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import RETENTION_DEFAULTS, Organization
from collector.models import Comment
from insights.models import MessageReply
from webhooks.models import Conversation, EventStatus, Message, WebhookEvent


def days_ago(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


def purge_webhook_bodies(events: QuerySet[WebhookEvent], cutoff: datetime) -> int:
    deleted, _ = events.filter(received_at__lt=cutoff).exclude(status=EventStatus.RECEIVED).delete()
    return deleted


def purge_messages(organization: Organization, cutoff: datetime) -> int:
    mine = Q(conversation__profile__organization=organization)
    messages, _ = Message.objects.filter(mine, sent_at__lt=cutoff).delete()
    replies, _ = MessageReply.objects.filter(mine, created_at__lt=cutoff).delete()
    empty = Conversation.objects.filter(profile__organization=organization, messages=None, replies=None).filter(
        Q(last_message_at__lt=cutoff) | Q(last_message_at=None, created_at__lt=cutoff)
    )
    conversations, _ = empty.delete()
    return messages + replies + conversations


def purge_comments(organization: Organization, cutoff: datetime) -> int:
    old = Comment.objects.filter(profile__organization=organization, timestamp__lt=cutoff)
    # Replies first, so a thread's head is deleted only once none of its replies is left.
    replies, _ = old.filter(parent__isnull=False).delete()
    heads, _ = old.filter(parent=None, replies=None).delete()
    return replies + heads


def purge_organization(organization: Organization, now: datetime) -> Counter[str]:
    events = WebhookEvent.objects.filter(profile__organization=organization)
    return Counter(
        webhook_events=purge_webhook_bodies(events, days_ago(organization.webhook_body_retention_days, now)),
        messages=purge_messages(organization, days_ago(organization.message_retention_days, now)),
        comments=purge_comments(organization, days_ago(organization.comment_retention_days, now)),
    )


@shared_task(acks_late=True)
def apply_retention() -> dict[str, int]:
    """Nightly: every organisation's retention, then the deliveries routed to no one. Returns rows deleted."""
    now = timezone.now()
    total: Counter[str] = Counter()
    for organization in Organization.objects.order_by("pk"):
        total += purge_organization(organization, now)
    unrouted = WebhookEvent.objects.filter(profile=None)
    total["webhook_events"] += purge_webhook_bodies(unrouted, days_ago(RETENTION_DEFAULTS["webhook_body"], now))
    return dict(total)
