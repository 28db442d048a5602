from __future__ import annotations

from typing import Any

from django import template

from accounts.models import Credential
from accounts.permissions import DECLINED_SESSION_KEY, described

register = template.Library()


@register.inclusion_tag("accounts/_banners.html", takes_context=True)
def reconnect_banners(context: dict[str, Any]) -> dict[str, Any]:
    """A banner per credential of the person's organizations that needs them: dead, or about to expire."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"credentials": []}
    credentials = Credential.objects.for_user(user).needing_attention().distinct().order_by("status", "name")
    # A profile's pages say it in their own banner (insights/_status.html): one banner, not two.
    shown = getattr(context.get("profile"), "credential", None)
    if shown is not None and not shown.is_usable:
        credentials = credentials.exclude(pk=shown.pk)
    declined = request.session.get(DECLINED_SESSION_KEY) or {}
    return {
        "credentials": credentials,
        "request": request,
        "declined_provider": declined.get("provider"),
        "declined": described(declined.get("scopes") or []),
    }


@register.filter
def permission_purpose(scope: str) -> str:
    """What stops working without this Meta permission (accounts.permissions)."""
    return described([scope])[0][1]
