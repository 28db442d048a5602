from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from accounts import access
from collector.models import Profile


@require_GET
@login_required
def backfill_progress(request: HttpRequest, profile_id: int) -> JsonResponse:
    """Backfill progress for the connected-accounts page's progress bar (another org's: 404)."""
    profile = access.readable(Profile.objects.all(), request.user, profile_id)
    return JsonResponse(
        {
            "profile": profile.pk,
            "status": profile.collection_status,
            "running": profile.backfill_running,
            # Its worker was lost: the counts are what was stored, and a new worker resumes there.
            "interrupted": profile.backfill_interrupted,
            "done": profile.backfill_done,
            "total": profile.backfill_total,
            "percent": profile.backfill_percent,
            "finished_at": profile.backfill_finished_at.isoformat() if profile.backfill_finished_at else None,
            "paused_until": profile.next_retry_at.isoformat() if profile.next_retry_at else None,
        }
    )
