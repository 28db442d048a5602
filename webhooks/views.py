from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access
from collector.models import Comment, Profile
from webhooks.ingest import MAX_BODY_BYTES, accept, declared_length

# Comments are returned again for this long after they change, so one committed late by a
# slower worker is not skipped; the page drops the repeats by id.
LIVE_OVERLAP = timedelta(seconds=5)
LIVE_LIMIT = 100


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    """Meta's callback: the subscription handshake (GET) and signed deliveries (POST)."""
    if request.method == "GET":
        return handshake(request)
    return receive(request)


def handshake(request: HttpRequest) -> HttpResponse:
    if (
        request.GET.get("hub.mode") == "subscribe"
        and request.GET.get("hub.verify_token") == settings.META_WEBHOOK_VERIFY_TOKEN
        and request.GET.get("hub.challenge")
    ):
        return HttpResponse(request.GET["hub.challenge"], content_type="text/plain")
    return HttpResponse(status=403)


def receive(request: HttpRequest) -> HttpResponse:
    """Store the delivery raw in one insert and answer at once (webhooks.ingest.accept)."""
    if declared_length(request.META.get("CONTENT_LENGTH")) > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    # Read the stream ourselves: request.body would apply Django's 2.5 MB form limit.
    body = request.read(MAX_BODY_BYTES + 1)
    return HttpResponse(status=accept(body, request.headers.get("X-Hub-Signature-256")))


def _since(after: str) -> dict[str, object]:
    """`after` is a comment id or an ISO time, as the previous answer's `cursor` gave it."""
    if after.isdigit():
        return {"pk__gt": int(after)}
    moment = parse_datetime(after)
    if moment is None:
        return {}
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return {"updated_at__gt": moment}


def _comment_json(comment: Comment) -> dict[str, object]:
    return {
        "id": comment.pk,
        "meta_id": comment.meta_id,
        "media_id": comment.media.meta_id,
        "permalink": comment.media.permalink,
        "parent_id": comment.parent.meta_id if comment.parent else None,
        "username": comment.username,
        "text": comment.text,
        "timestamp": comment.timestamp.isoformat(),
        "hidden": comment.hidden,
        "deleted": comment.is_deleted,
        "source": comment.source,
        # The classifier's codes, as the page's badges say them (in the viewer's language).
        "sentiment": comment.sentiment,
        "sentiment_label": comment.get_sentiment_display(),
        "codes": ", ".join(str(label) for label in comment.coded_flags),
    }


@never_cache
@login_required
@require_GET
def live_comments(request: HttpRequest, profile_id: int) -> JsonResponse:
    """Comments of a profile that are new or changed since `after`, oldest first."""
    profile = access.readable(Profile.objects.all(), request.user, profile_id)
    now: datetime = timezone.now()
    comments = profile.comments.select_related("media", "parent")
    after = request.GET.get("after", "")
    if after:
        rows = list(comments.filter(**_since(after)).order_by("updated_at", "pk")[:LIVE_LIMIT])
    else:
        rows = list(reversed(comments.order_by("-updated_at", "-pk")[:LIVE_LIMIT]))
    # A full page means more are waiting: continue from the last one rather than from now.
    cursor = rows[-1].updated_at if len(rows) == LIVE_LIMIT else now - LIVE_OVERLAP
    return JsonResponse(
        {
            "comments": [_comment_json(comment) for comment in rows],
            "cursor": cursor.isoformat(),
            "webhooks_missing": profile.webhooks_missing,
            "last_webhook_at": profile.last_webhook_at.isoformat() if profile.last_webhook_at else None,
        }
    )
