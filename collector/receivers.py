from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from accounts.models import Organization
from accounts.signals import ConnectedAsset, assets_connected
from collector.models import Profile


@receiver(assets_connected)
def create_profiles(sender: Any, organization: Organization, assets: list[ConnectedAsset], **_: Any) -> None:
    """One Profile per connected asset, then a backfill for each, queued once the login commits."""
    from collector.tasks import backfill_profile

    for asset in assets:
        profile, _created = Profile.objects.update_or_create(
            organization=organization,
            platform=asset.platform,
            meta_id=asset.meta_id,
            defaults={
                "credential_id": asset.credential_id,
                "username": asset.username,
                "name": asset.name,
                "page_id": asset.page_id,
                **({"picture_url": asset.picture_url} if asset.picture_url else {}),
            },
        )
        transaction.on_commit(lambda profile_id=profile.pk: backfill_profile.delay(profile_id))
