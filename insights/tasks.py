"""Work that talks to Meta or rebuilds aggregates, off the request (queue `default`)."""

from __future__ import annotations

import logging
from datetime import date

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.token_errors import handle_token_error
from collector.models import Comment
from insights.aggregates import rebuild_daily_metrics as rebuild
from insights.models import NEEDS_RECONNECT, ActionKind, ActionStatus, CommentAction, FailureReason, MessageReply
from insights.retention import apply_retention  # noqa: F401 (Celery discovers tasks.py only)
from meta import messaging, moderation
from meta.client import GraphClient
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError
from webhooks.models import Message

logger = logging.getLogger(__name__)
MAX_RETRY_DELAY = 900.0


@shared_task(acks_late=True)
def rebuild_daily_metrics(profile_id: int, since: str | None = None) -> int:
    """The hook the collector calls after each collection: `since` is an ISO date or None."""
    day: date | None = parse_date(since) if since else None
    return rebuild(profile_id, day)


@shared_task(bind=True, acks_late=True, max_retries=5)
def perform_comment_action(self: Task, action_id: int) -> str:
    """Send one reply, hide, unhide or delete to Meta with the profile's credential.

    Meta's refusals end the action as failed with its reason; rate limits and transient
    failures retry later while the page keeps showing it pending.
    """
    action = CommentAction.objects.select_related("comment__profile__credential").get(pk=action_id)
    if action.status != ActionStatus.PENDING:
        return action.status
    comment = action.comment
    credential = comment.profile.credential
    if credential is None or not credential.is_usable:
        action.finish(error=NEEDS_RECONNECT, reason=FailureReason.RECONNECT)
        return action.status
    client = credential.graph_client()
    try:
        result_id = _send(client, action)
    except (TokenInvalid, PermissionMissing) as exc:
        handle_token_error(credential, exc)
        action.refused(exc)
    except (RateLimited, TransientError) as exc:
        _retry_or_fail(self, action, exc)
    except MetaError as exc:
        action.refused(exc)
    else:
        _apply(action, comment, result_id)
    return action.status


def _send(client: GraphClient, action: CommentAction) -> str:
    meta_id = action.comment.meta_id
    if action.kind == ActionKind.REPLY:
        return moderation.reply(client, meta_id, action.text).reply_id
    if action.kind in (ActionKind.HIDE, ActionKind.UNHIDE):
        return moderation.set_hidden(client, meta_id, hidden=action.kind == ActionKind.HIDE).reply_id
    return moderation.delete(client, meta_id).reply_id


def _apply(action: CommentAction, comment: Comment, result_id: str) -> None:
    """Mirror what Meta accepted in our copy, so the page agrees with Instagram at once."""
    with transaction.atomic():
        if action.kind == ActionKind.REPLY:
            profile = comment.profile
            Comment.objects.get_or_create(
                profile=profile,
                meta_id=result_id,
                defaults={
                    "media_id": comment.media_id,
                    "parent": comment.parent or comment,
                    "author_id": profile.meta_id,
                    "username": profile.username,
                    "text": action.text,
                    "timestamp": timezone.now(),
                },
            )
        elif action.kind == ActionKind.DELETE:
            comment.is_deleted = True
            comment.save(update_fields=["is_deleted", "updated_at"])
        else:
            comment.hidden = action.kind == ActionKind.HIDE
            comment.save(update_fields=["hidden", "updated_at"])
        action.finish(result_meta_id=result_id)


@shared_task(bind=True, acks_late=True, max_retries=5)
def send_message_reply(self: Task, reply_id: int) -> str:
    """Send one direct-message reply (Meta's Send API) and keep it as the profile's message."""
    reply = MessageReply.objects.select_related("conversation__profile__credential").get(pk=reply_id)
    if reply.status != ActionStatus.PENDING:
        return reply.status
    conversation = reply.conversation
    profile = conversation.profile
    credential = profile.credential
    if credential is None or not credential.is_usable:
        reply.finish(error=NEEDS_RECONNECT, reason=FailureReason.RECONNECT)
        return reply.status
    # Instagram Login sends as /me; Facebook Login sends through the linked Page with its token.
    owner = messaging.inbox_owner(credential.is_instagram_login, profile.page_id)
    client = credential.graph_client()
    try:
        # The tag comes only from the row: a member clicked Send in the Human Agent window.
        sent = messaging.send_text(
            client, owner, conversation.participant_id, reply.text, human_agent=reply.human_agent
        )
    except TokenInvalid as exc:
        # A missing messaging permission is refused below but leaves the credential collecting, as
        # webhooks.conversation_sync.sync_conversations does: messaging is one permission among several.
        handle_token_error(credential, exc)
        reply.refused(exc)
    except (RateLimited, TransientError) as exc:
        _retry_or_fail(self, reply, exc)
    except MetaError as exc:
        reply.refused(exc)
    else:
        mid = sent.message_id
        with transaction.atomic():
            if mid:
                Message.objects.get_or_create(
                    conversation=conversation,
                    mid=mid,
                    defaults={"is_echo": True, "text": reply.text, "sent_at": timezone.now()},
                )
            reply.finish(result_meta_id=mid)
    return reply.status


def _retry_or_fail(task: Task, request: CommentAction | MessageReply, exc: MetaError) -> None:
    if task.request.retries >= task.max_retries:
        request.refused(exc)
        return
    delay = min(getattr(exc, "retry_after", 0) or 30 * 2**task.request.retries, MAX_RETRY_DELAY)
    logger.info("%s waits %.0fs for Meta: %s", request, delay, exc)
    raise task.retry(countdown=delay) from exc
