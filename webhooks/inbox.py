"""Instagram conversations read from Meta: the history before the first webhook, and usernames.

Webhooks bring each new message within seconds but name the person only by their
Instagram-scoped id, and nothing that was said before the account was connected. The
Conversations API has both, so it is read right after connecting, on a schedule, and when a
webhook opens a conversation we cannot name yet. Messages are keyed on Meta's id, the same
`mid` the webhooks carry, so the two paths fill one thread without duplicates.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from collector.models import Profile
from meta import messaging
from meta.client import GraphClient
from meta.errors import MetaError
from webhooks.models import Conversation, Message

logger = logging.getLogger(__name__)
PEOPLE_REFRESH = timedelta(days=1)


def sync_profile(profile: Profile, *, user_id: str = "") -> int:
    """Read the account's conversations (or only the one with `user_id`); returns how many."""
    credential = profile.credential
    assert credential is not None
    client = credential.graph_client()
    owner = messaging.inbox_owner(credential.is_instagram_login, profile.page_id)
    stored = [
        found
        for thread in messaging.conversations(client, owner, user_id=user_id)
        if (found := store_thread(profile, thread)) is not None
    ]
    refresh_people(client, stored)
    return len(stored)


def refresh_people(client: GraphClient, conversations: list[Conversation]) -> None:
    """Read the profile picture (and username) of people not read within PEOPLE_REFRESH: Meta's
    picture URLs expire in a few days, and one call per person a day is plenty."""
    stale = timezone.now() - PEOPLE_REFRESH
    for conversation in conversations:
        if conversation.participant_checked_at is not None and conversation.participant_checked_at > stale:
            continue
        try:
            person = messaging.person(client, conversation.participant_id)
        except MetaError as exc:
            # A person who blocked the account cannot be read; the thread keeps its username.
            logger.info("profile of %s not read: %s", conversation.participant_id, exc)
            person = messaging.PersonProfile(username="", profile_pic=conversation.participant_picture_url)
        Conversation.objects.filter(pk=conversation.pk).update(
            participant_picture_url=person.profile_pic[:1000],
            participant_username=person.username or conversation.participant_username,
            participant_checked_at=timezone.now(),
        )


def store_thread(profile: Profile, thread: messaging.Thread) -> Conversation | None:
    """Upsert one thread: the conversation named by its person, and its messages by Meta id."""
    person = thread.other_than(profile.meta_id, profile.username)
    if person is None or not person.id:
        return None
    newest = thread.messages[0].created_time if thread.messages else thread.updated_time
    with transaction.atomic():
        conversation, _created = Conversation.objects.update_or_create(
            profile=profile,
            participant_id=person.id,
            defaults={"participant_username": person.username, "meta_id": thread.id, "synced_at": timezone.now()},
        )
        Message.objects.bulk_create(
            [
                Message(
                    conversation=conversation,
                    mid=message.id,
                    is_echo=message.sender_id != person.id,
                    text=message.text,
                    attachments=message.attachments,
                    sent_at=message.created_time,
                )
                for message in thread.messages
            ],
            update_conflicts=True,
            unique_fields=["conversation", "mid"],
            update_fields=["text", "attachments"],
        )
        if newest is not None:
            Conversation.objects.filter(
                Q(last_message_at__isnull=True) | Q(last_message_at__lt=newest), pk=conversation.pk
            ).update(last_message_at=newest)
    return conversation
