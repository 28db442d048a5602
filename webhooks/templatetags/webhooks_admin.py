"""The admin index's notice of failed webhook deliveries, so none is lost without anyone seeing it."""

from __future__ import annotations

from typing import Any

from django import template

from webhooks.models import EventStatus, WebhookEvent

register = template.Library()


@register.inclusion_tag("admin/webhooks/failed_notice.html", takes_context=True)
def failed_webhook_deliveries(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    allowed = request is not None and request.user.has_perm("webhooks.view_webhookevent")
    # The (status, received_at) index answers this without reading the bodies.
    failed = WebhookEvent.objects.filter(status=EventStatus.FAILED).count() if allowed else 0
    return {"failed": failed}
