"""Story files: downloaded while Meta's signed URL works, kept under MEDIA_ROOT within the
organisation's quota. A story that cannot have its file is kept anyway and says why (FileState)."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from pathlib import Path, PurePosixPath

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.token_errors import handle_token_error
from collector.models import Media
from collector.runs import governor_for
from meta import stories as meta_stories
from meta.errors import MetaError, ObjectMissing, PermissionMissing, TokenInvalid
from storyvault.models import FileState, StorageQuota, StoryKeep

logger = logging.getLogger(__name__)
MAX_TRIES = 3
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "video/mp4": ".mp4", "image/webp": ".webp"}


def keep_new_stories() -> int:
    """A vault entry for every story collected live that has none yet (webhook placeholders get
    theirs from the story_insights handler, as missed)."""
    new = Media.objects.filter(media_product_type="STORY", vault__isnull=True).exclude(raw__has_key="placeholder")
    keeps = [
        StoryKeep(media=m, profile_id=m.profile_id, posted_at=m.timestamp, expires_at=m.timestamp + timedelta(hours=24))
        for m in new.only("pk", "profile_id", "timestamp")
    ]
    StoryKeep.objects.bulk_create(keeps, ignore_conflicts=True)
    return len(keeps)


def retry_when_room() -> int:
    """Stories of an organisation whose quota was raised since: while they live, Meta still
    hands out their file, so they go back in line for it (over quota is never final while it can be undone)."""
    waiting = StoryKeep.objects.filter(file_state=FileState.OVER_QUOTA, expires_at__gt=timezone.now())
    again = 0
    for organization_id in set(waiting.values_list("profile__organization_id", flat=True)):
        quota = StorageQuota.of(organization_id)
        if quota.used_bytes() < quota.quota_bytes:
            again += waiting.filter(profile__organization_id=organization_id).update(
                file_state=FileState.PENDING, file_note=""
            )
    return again


def _finish(keep_id: int, state: str, note: str = "", **fields: object) -> str:
    StoryKeep.objects.filter(pk=keep_id).update(file_state=state, file_note=note[:300], **fields)
    return state


def _extension(content_type: str, url: str) -> str:
    return EXTENSIONS.get(content_type) or PurePosixPath(url.split("?")[0]).suffix[:8] or ".bin"


def store(keep_id: int) -> str:
    """Download one pending story's file; answers the FileState it ends in."""
    keep = StoryKeep.objects.select_related("media", "profile__credential").filter(pk=keep_id).first()
    if keep is None or keep.file_state != FileState.PENDING:
        return "nothing to do"
    quota = StorageQuota.of(keep.profile.organization_id)
    room = quota.quota_bytes - quota.used_bytes()
    if room <= 0:
        return _finish(keep.pk, FileState.OVER_QUOTA, f"quota of {quota.quota_mb} MB reached")
    url = keep.media.media_url or _fresh_url(keep)
    if not url:
        return _finish(keep.pk, FileState.NO_MEDIA, "Meta gave no media URL (copyrighted audio, or an expired story)")
    temporary = Path(settings.MEDIA_ROOT) / "stories" / "incoming" / f"{keep.pk}-{uuid.uuid4().hex}"
    try:
        try:
            got = meta_stories.download(url, temporary, room)
        except meta_stories.UrlExpired:
            url = _fresh_url(keep)  # a live story's node hands out a newly signed URL
            if not url:
                return _finish(keep.pk, FileState.URL_EXPIRED, "URL signature expired and the story is gone")
            got = meta_stories.download(url, temporary, room)
    except meta_stories.TooLarge as exc:
        return _finish(keep.pk, FileState.OVER_QUOTA, f"{exc} bytes would exceed the quota of {quota.quota_mb} MB")
    except meta_stories.UrlExpired:
        return _finish(keep.pk, FileState.URL_EXPIRED, "URL signature expired")
    except (MetaError, requests.RequestException, OSError) as exc:
        tries = keep.file_tries + 1
        state = FileState.FAILED if tries >= MAX_TRIES else FileState.PENDING
        return _finish(keep.pk, state, f"{type(exc).__name__}: {exc}", file_tries=tries)
    return _keep(keep, temporary, got, _extension(got.content_type, url))


def _keep(keep: StoryKeep, temporary: Path, got: meta_stories.Downloaded, extension: str) -> str:
    """Move the file in if it still fits: the quota row is locked so two downloads cannot both
    take the last megabytes."""
    name = f"stories/{keep.profile.organization_id}/{keep.profile_id}/{keep.media.meta_id}{extension}"
    with transaction.atomic():
        quota = StorageQuota.objects.select_for_update().get(organization_id=keep.profile.organization_id)
        if not StoryKeep.objects.filter(pk=keep.pk, file_state=FileState.PENDING).exists():
            temporary.unlink(missing_ok=True)  # a second message for the same story got there first
            return "already decided"
        if quota.used_bytes() + got.size > quota.quota_bytes:
            temporary.unlink(missing_ok=True)
            return _finish(keep.pk, FileState.OVER_QUOTA, f"quota of {quota.quota_mb} MB reached")
        final = Path(settings.MEDIA_ROOT) / name
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary.replace(final)
        return _finish(keep.pk, FileState.STORED, file=name, file_bytes=got.size, content_type=got.content_type[:100])


def _fresh_url(keep: StoryKeep) -> str:
    """A new signed URL from Meta while the story lives; '' once it is gone or the token is dead."""
    credential = keep.profile.credential
    if credential is None or not credential.is_usable or keep.expires_at <= timezone.now():
        return ""
    client = credential.graph_client(governor=governor_for(keep.profile))
    try:
        url = meta_stories.fresh_media_url(client, keep.media.meta_id)
    except ObjectMissing:
        return ""
    except (TokenInvalid, PermissionMissing) as exc:
        handle_token_error(credential, exc)
        return ""
    except MetaError:  # a rate limit or Meta's bad moment: the next tend tries again
        logger.warning("no fresh media URL for story %s", keep.media.meta_id, exc_info=True)
        return ""
    Media.objects.filter(pk=keep.media_id).update(media_url=url)
    return url
