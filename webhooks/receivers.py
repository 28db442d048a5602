from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from accounts.models import Organization
from accounts.signals import ConnectedAsset, assets_connected
from collector.models import Platform, Profile


@receiver(assets_connected)
def read_conversations_on_connect(
    sender: Any, organization: Organization, assets: list[ConnectedAsset], **_: Any
) -> None:
    """Day one shows the inbox: each connected Instagram account's conversations are read as soon
    as the login commits (collector's receiver has created the profiles by then)."""
    from webhooks.tasks import sync_conversations

    ids = [asset.meta_id for asset in assets if asset.platform == Platform.INSTAGRAM]
    if not ids:
        return

    def queue() -> None:
        profiles = Profile.objects.filter(organization=organization, platform=Platform.INSTAGRAM, meta_id__in=ids)
        for profile_id in profiles.values_list("pk", flat=True):
            sync_conversations.delay(profile_id)

    transaction.on_commit(queue)
