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
