"""Story assets sent as base64: decoded, then checked by their bytes rather than by their claim.

Size limits follow Meta's story rules (reference §11.1, §11.2): Page photo stories up to
10 MB (JPEG or PNG), Instagram story images JPEG only up to 8 MB, story videos MP4 up to 100 MB.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from publishing.models import AssetType, Channel

MB = 1024 * 1024
IMAGE_LIMIT = {Channel.FACEBOOK: 10 * MB, Channel.INSTAGRAM: 8 * MB}
VIDEO_LIMIT = 100 * MB
_DATA_URL = re.compile(r"^data:[\w.+-]+/[\w.+-]+;base64,", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# Refuse absurd payloads before decoding them: 4 base64 characters carry 3 bytes.
MAX_BASE64_LENGTH = VIDEO_LIMIT * 4 // 3 + 1024


class Base64Invalid(ValueError):
    """The text is not base64: answered with the contract's `{"error": …}` body."""


class AssetRejected(ValueError):
    """Decoded fine, but not a file Meta takes as this story's asset."""


@dataclass(frozen=True)
class DecodedAsset:
    content: bytes
    extension: str


def decode(text: str) -> bytes:
    """Base64 with or without a `data:<type>;base64,` prefix; whitespace (line wraps) ignored."""
    payload = _WHITESPACE.sub("", _DATA_URL.sub("", text.strip(), count=1))
    if not payload:
        raise Base64Invalid("empty")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Base64Invalid(str(exc)) from exc


def sniff(content: bytes) -> str | None:
    """The file's real format from its signature: "jpg", "png", "mp4" or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(content) >= 12 and content[4:8] == b"ftyp":
        return "mp4"
    return None


def check(content: bytes, asset_type: int, channel: str) -> DecodedAsset:
    kind = sniff(content)
    if asset_type == AssetType.IMAGE:
        allowed = ("jpg",) if channel == Channel.INSTAGRAM else ("jpg", "png")
        if kind not in allowed:
            raise AssetRejected(
                _("The file is not a JPEG image.")
                if channel == Channel.INSTAGRAM
                else _("The file is not a JPEG or PNG image.")
            )
        limit = IMAGE_LIMIT[Channel(channel)]
    else:
        if kind != "mp4":
            raise AssetRejected(_("The file is not an MP4 video."))
        limit = VIDEO_LIMIT
    if len(content) > limit:
        raise AssetRejected(_("The file is larger than %(size)d MB.") % {"size": limit // MB})
    return DecodedAsset(content=content, extension=kind)
