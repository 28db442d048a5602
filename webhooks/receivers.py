"""What webhooks does when accounts announces something."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver

from accounts.models import Organization
from accounts.signals import ConnectedAsset, assets_connected, profiles_deleting
from collector.models import Platform, Profile
from webhooks.conversation_sync import sync_conversations
from webhooks.models import WebhookEvent


@receiver(assets_connected)
def read_conversations_on_connect(
    sender: Any, organization: Organization, assets: list[ConnectedAsset], **_: Any
) -> None:
    """Day one shows the inbox: each connected Instagram account's conversations are read as soon
    as the login commits (collector's receiver has created the profiles by then)."""
    ids = [asset.meta_id for asset in assets if asset.platform == Platform.INSTAGRAM]
    if not ids:
        return

    def queue() -> None:
        profiles = Profile.objects.filter(organization=organization, platform=Platform.INSTAGRAM, meta_id__in=ids)
        for profile_id in profiles.values_list("pk", flat=True):
            sync_conversations.delay(profile_id)

    transaction.on_commit(queue)


@receiver(profiles_deleting)
def forget_deliveries(sender: Any, profile_ids: list[int], meta_ids: list[str], **kwargs: Any) -> int:
    """The raw deliveries about deleted profiles hold commenters' usernames and comment and DM text.

    Gone: those linked to the profiles, and those linked to no profile (not processed yet, or their
    account was unknown) whose body names the account's id. A delivery linked to another
    organization's profile of the same account stays: that organization's connection still holds it.
    """
    about = Q(profile_id__in=profile_ids)
    for meta_id in meta_ids:
        # Meta sends ids as JSON strings, so the quoted id is the account, not a longer number.
        about |= Q(profile__isnull=True, body__contains=f'"{meta_id}"')
    deleted, _ = WebhookEvent.objects.filter(about).delete()
    return deleted
