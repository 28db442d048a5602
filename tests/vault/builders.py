"""Stories in the vault, built straight in the database (pages and the access matrix need them;
the collection itself is tested against the sandbox in tests/vault/test_story_vault.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from collector.models import Media, MediaInsight, MediaProductType, Profile, Provenance, Unavailable
from storyvault.models import FileState, MissedReason, StoryKeep

# An 8x8 PNG: what the sandbox's CDN serves.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000080000000808020000004b6d29dc0000001149444154789c6390ab08c08a"
    "18869604006b923981e97bfe3b0000000049454e44ae426082"
)


def kept_story(profile: Profile, meta_id: str, hours_ago: float = 3) -> StoryKeep:
    """A story seen live, its file stored, with an hourly, a pre-expiry and a final value."""
    posted = timezone.now() - timedelta(hours=hours_ago)
    media = Media.objects.create(
        profile=profile, meta_id=meta_id, media_product_type=MediaProductType.STORY, media_type="IMAGE",
        timestamp=posted, reach=40,
    )  # fmt: skip
    for minutes, provenance, reach in ((60, Provenance.LIVE, 30), (120, Provenance.PRE_EXPIRY, 38)):
        MediaInsight.objects.create(
            media=media, captured_at=posted + timedelta(minutes=minutes), provenance=provenance, reach=reach, views=50
        )
    MediaInsight.objects.create(
        media=media, captured_at=posted + timedelta(minutes=150), provenance=Provenance.WEBHOOK_FINAL, reach=40,
        replies=None, suppressed={"replies": 5},
    )  # fmt: skip
    name = f"stories/{profile.organization_id}/{profile.pk}/{meta_id}.png"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG)
    return StoryKeep.objects.create(
        media=media, profile=profile, posted_at=posted, expires_at=posted + timedelta(hours=24), file=name,
        file_bytes=len(PNG), content_type="image/png", file_state=FileState.STORED,
    )  # fmt: skip


def missed_story(profile: Profile, meta_id: str) -> StoryKeep:
    """A story only Meta's final webhook told us about."""
    ended = timezone.now() - timedelta(hours=2)
    media = Media.objects.create(
        profile=profile, meta_id=meta_id, media_product_type=MediaProductType.STORY,
        timestamp=ended - timedelta(hours=24), raw={"placeholder": "from a webhook"},
    )  # fmt: skip
    MediaInsight.objects.create(
        media=media, captured_at=ended + timedelta(hours=1), provenance=Provenance.WEBHOOK_FINAL, reach=12
    )
    MediaInsight.objects.create(
        media=media, captured_at=ended - timedelta(hours=5), unavailable=Unavailable.BELOW_PRIVACY_FLOOR
    )
    return StoryKeep.objects.create(
        media=media, profile=profile, posted_at=ended - timedelta(hours=24), expires_at=ended,
        file_state=FileState.NO_MEDIA, missed=True, missed_reason=MissedReason.WORKER_DOWN,
    )  # fmt: skip
