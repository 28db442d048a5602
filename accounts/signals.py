"""What accounts announces; higher rooms (collector) listen. accounts never imports collector."""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class ConnectedAsset:
    """An Instagram account or Facebook Page found behind a credential at login."""

    platform: str  # "instagram" or "facebook_page" (collector.models.Platform values)
    meta_id: str
    credential_id: int
    username: str = ""
    name: str = ""
    page_id: str = ""
    picture_url: str = ""


# Sent after a login stored its credentials: kwargs `organization` and `assets` (list[ConnectedAsset]).
assets_connected = Signal()

# Sent inside the transaction that deletes profiles (Meta's data-deletion callback, a disconnect
# that deletes the data), before they go: kwargs `profile_ids` (list[int]) and `meta_ids` (their
# Instagram account or Page ids). Rooms holding personal data about them outside the cascade
# (webhooks' raw deliveries) forget it.
profiles_deleting = Signal()
