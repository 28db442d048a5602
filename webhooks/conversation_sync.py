"""The tasks that read Instagram conversations from Meta (webhooks.inbox does the reading)."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from accounts.models import Credential
from accounts.token_errors import handle_token_error
from collector.models import Platform, Profile
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError
from webhooks import inbox

logger = logging.getLogger(__name__)


@shared_task(
    name="webhooks.tasks.sync_conversations", bind=True, acks_late=True, ignore_result=True, max_retries=3
)
def sync_conversations(self: Task, profile_id: int, user_id: str = "") -> int:
    """Read an Instagram account's conversations (or only the one with `user_id`) from Meta."""
    profile = Profile.objects.select_related("credential").filter(pk=profile_id, platform=Platform.INSTAGRAM).first()
    credential = profile.credential if profile is not None else None
    if profile is None or credential is None or not credential.is_usable:
        return 0
    try:
        return inbox.sync_profile(profile, user_id=user_id)
    except TokenInvalid as exc:
        handle_token_error(credential, exc)
    except PermissionMissing as exc:
        # Messaging is one permission among several: its absence must not stop collection.
        logger.info("profile %s cannot read its conversations: %s", profile_id, exc)
    except (RateLimited, TransientError) as exc:
        raise self.retry(countdown=min(getattr(exc, "retry_after", 0) or 60, 900)) from exc
    except MetaError as exc:
        logger.warning("profile %s conversations could not be read: %s", profile_id, exc)
    return 0


@shared_task(name="webhooks.tasks.sync_conversations_all", ignore_result=True)
def sync_conversations_all() -> int:
    """Beat's: every connected Instagram account's conversations, in case a webhook was missed."""
    ids = list(
        Profile.objects.filter(platform=Platform.INSTAGRAM, credential__in=Credential.objects.usable()).values_list(
            "pk", flat=True
        )
    )
    for profile_id in ids:
        sync_conversations.delay(profile_id)
    return len(ids)
