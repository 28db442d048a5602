"""What answering one of Meta's deliveries takes: verify, store, queue. No Django request here.

Shared by the Django view (`webhooks.views.receive`, which the test client and any request the
lean path declines go through) and the lean WSGI path (`socialdatalab.lean_webhooks`, which gunicorn serves
POST /webhooks/meta/ with), so both answer the same status for the same bytes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection

from meta.signing import verify_signature
from webhooks.batching import batcher
from webhooks.changes import read_delivery
from webhooks.models import EventStatus, WebhookEvent

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 5 * 1024 * 1024


def declared_length(value: str | None) -> int:
    """CONTENT_LENGTH as a number; anything unreadable counts as unknown (0: read and see)."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


def accept(body: bytes, signature: str | None) -> int:
    """Store a delivery that Meta signed, whatever its bytes hold, and return the HTTP status.

    200: stored and queued for processing. 400: signed but not a JSON object, stored as
    `rejected`. 403: not signed with either app secret, nothing stored. 413: over 5 MB.
    503: the database did not take it (Meta retries). Never 500 for anything Meta can send.
    """
    if len(body) > MAX_BODY_BYTES:
        return 413
    if not verify_signature(body, signature, (settings.META_APP_SECRET, settings.INSTAGRAM_APP_SECRET)):
        return 403
    # Whatever the signed bytes hold (100,000 levels of nesting, NaN, a NUL byte), they are stored.
    delivery = read_delivery(body)
    valid = delivery.payload is not None
    try:
        event_id = WebhookEvent.objects.store(
            object=delivery.object[:32],
            fields=WebhookEvent.frame_fields(delivery.fields)[:500],
            body=delivery.text,
            body_bytes=delivery.exact,
            status=EventStatus.RECEIVED if valid else EventStatus.REJECTED,
        )
    except DatabaseError:
        logger.exception("webhook delivery not stored; Meta will retry it")
        return 503
    if not valid:
        return 400
    if connection.in_atomic_block:  # a caller's transaction (tests): queue once it commits
        connection.on_commit(lambda: batcher.add(event_id))
    else:  # autocommit: the row is durable now
        batcher.add(event_id)
    return 200
