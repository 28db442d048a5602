"""What a `mentions` webhook pointed at, fetched from Meta after the delivery is stored."""

from __future__ import annotations

import logging

from celery import shared_task

from accounts.token_errors import handle_token_error
from collector.models import Mention
from meta import mentions
from meta.errors import MetaError, PermissionMissing, TokenInvalid

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.tasks.fetch_mention", acks_late=True, ignore_result=True)
def fetch_mention(mention_id: int) -> None:
    """What the profile was mentioned in, fetched with the profile's own credential."""
    mention = Mention.objects.select_related("profile__credential").filter(pk=mention_id).first()
    if mention is None or mention.profile.credential is None:
        return
    profile = mention.profile
    credential = profile.credential
    try:
        result = mentions.mentioned(
            credential.graph_client(), profile.meta_id, media_id=mention.media_id, comment_id=mention.comment_id
        )
    except (TokenInvalid, PermissionMissing) as exc:
        handle_token_error(credential, exc)
        return
    except MetaError as exc:
        logger.warning("mention %s could not be fetched: %s", mention_id, exc)
        return
    mention.raw = {**mention.raw, "fetched": result.body}
    mention.save(update_fields=["raw"])
