"""The story vault's pages: a profile's kept and missed stories with the provenance of every value,
and their files, served to members of the profile's organisation only (never from MEDIA_URL)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from collector.models import MediaInsight
from insights.views import profile_page, reading_profile
from storyvault import missed
from storyvault.models import FileState, StorageQuota, StoryKeep

SHOWN = 100


@login_required
def stories(request: HttpRequest, pk: int) -> HttpResponse:
    profile = reading_profile(request, pk)
    readings = MediaInsight.objects.order_by("captured_at")
    keeps = list(
        profile.story_vault.select_related("media").prefetch_related(
            Prefetch("media__insights", queryset=readings, to_attr="readings")
        )[:SHOWN]
    )
    quota = StorageQuota.of(profile.organization_id)
    used = quota.used_bytes()
    return profile_page(
        request,
        "insights/stories.html",
        profile,
        "stories",
        keeps=keeps,
        quota=quota,
        used=used,
        used_percent=min(100, round(100 * used / quota.quota_bytes)) if quota.quota_bytes else 100,
        blind_spots=missed.blind_spots(profile),
        webhook_login=not (profile.credential and profile.credential.is_instagram_login),
        now=timezone.now(),
        over_quota=sum(1 for keep in keeps if keep.file_state == FileState.OVER_QUOTA),
    )


@require_GET
@login_required
def story_file(request: HttpRequest, pk: int, story_pk: int) -> FileResponse:
    """The kept photo or video; only through its profile, so another organisation's is a 404."""
    profile = reading_profile(request, pk)
    keep: StoryKeep = get_object_or_404(profile.story_vault, pk=story_pk, file_state=FileState.STORED)
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / keep.file.name).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=keep.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    return response
