"""Direct messages (`messaging[]`): messages and their echoes, reactions, read marks, edits.
The same items in `standby[]` (another app owns the conversation) are stored alike, marked standby.

On an echo (a message the profile sent) Meta swaps sender and recipient, so the other person
is whichever of the two is not the profile.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from collector.models import Profile
from webhooks.broker import enqueue
from webhooks.changes import Batch, Change
from webhooks.conversation_sync import sync_conversations
from webhooks.models import STORY_REPLY, Conversation, Message


def _conversation(change: Change, profile: Profile) -> Conversation:
    sender = str((change.value.get("sender") or {}).get("id") or "")
    recipient = str((change.value.get("recipient") or {}).get("id") or "")
    participant = recipient if sender in (change.entry_id, profile.meta_id) else sender
    conversation, _created = Conversation.objects.get_or_create(profile=profile, participant_id=participant)
    return conversation


def _learn_username(profile: Profile, participant: str) -> None:
    """Webhooks name the person by id only: ask the Conversations API for this one thread."""
    transaction.on_commit(lambda: enqueue(sync_conversations, profile.pk, participant))


def handle_message(change: Change, profile: Profile, batch: Batch) -> None:
    message: dict[str, Any] = change.value.get("message") or {}
    mid = str(message.get("mid") or "")
    if not mid:
        batch.ignore("message without mid")
        return
    conversation = _conversation(change, profile)
    if not conversation.participant_username:
        _learn_username(profile, conversation.participant_id)
    if message.get("is_deleted"):
        Message.objects.filter(conversation=conversation, mid=mid).update(is_deleted=True)
        return
    Message.objects.bulk_create(
        [
            Message(
                conversation=conversation,
                mid=mid,
                is_echo=bool(message.get("is_echo")),
                text=str(message.get("text") or ""),
                attachments=list(message.get("attachments") or []),
                reply_to=_reply_to(message.get("reply_to")),
                sent_at=change.time,
                standby=change.standby,
                raw=change.value,
            )
        ],
        update_conflicts=True,
        unique_fields=["conversation", "mid"],
        update_fields=["text", "attachments"],
    )
    Conversation.objects.filter(
        Q(last_message_at__isnull=True) | Q(last_message_at__lt=change.time), pk=conversation.pk
    ).update(last_message_at=change.time)


def _reply_to(value: Any) -> str:
    """The message answered, or `story:<id>` for a reply to one of the account's stories. Like a
    story mention (an attachment of type story_mention), it is the person's message: it opens
    the messaging window as Meta counts it."""
    if not isinstance(value, dict):
        return ""
    story = value.get("story")
    if isinstance(story, dict):
        return f"{STORY_REPLY}{story.get('id') or ''}"
    return str(value.get("mid") or "")


def _message(change: Change, profile: Profile, key: str, batch: Batch) -> Message | None:
    mid = str((change.value.get(key) or {}).get("mid") or "")
    found = Message.objects.filter(conversation=_conversation(change, profile), mid=mid).first()
    if found is None:
        batch.ignore(f"{change.field} about a message we do not hold")
    return found


def handle_reaction(change: Change, profile: Profile, batch: Batch) -> None:
    reaction: dict[str, Any] = change.value.get("reaction") or {}
    message = _message(change, profile, "reaction", batch)
    if message is None:
        return
    unreact = reaction.get("action") == "unreact"
    message.reaction = "" if unreact else str(reaction.get("emoji") or reaction.get("reaction") or "")
    message.save(update_fields=["reaction"])


def handle_edit(change: Change, profile: Profile, batch: Batch) -> None:
    edit: dict[str, Any] = change.value.get("message_edit") or {}
    message = _message(change, profile, "message_edit", batch)
    if message is None:
        return
    message.text = str(edit.get("text") or "")
    message.edit_count = int(edit.get("num_edit") or message.edit_count + 1)
    message.save(update_fields=["text", "edit_count"])


def handle_read(change: Change, profile: Profile, batch: Batch) -> None:
    """They read everything the profile sent up to the marked message (or up to now)."""
    conversation = _conversation(change, profile)
    mid = str((change.value.get("read") or {}).get("mid") or "")
    marked = Message.objects.filter(conversation=conversation, mid=mid).first() if mid else None
    up_to = marked.sent_at if marked else change.time
    Message.objects.filter(conversation=conversation, is_echo=True, sent_at__lte=up_to, read_at__isnull=True).update(
        read_at=change.time
    )
    conversation.last_read_at = change.time
    conversation.save(update_fields=["last_read_at"])
