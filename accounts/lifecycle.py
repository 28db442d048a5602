"""A credential's life after connecting: the daily check, the Instagram refresh, expiry reminders.

`refresh` means one thing here and in accounts.tasks: ask Meta for another 60 days of an
Instagram Login token (Facebook tokens cannot be refreshed without the person: they get reminders).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Credential, CredentialKind, CredentialStatus, Membership, Role
from accounts.token_errors import handle_token_error
from meta import oauth
from meta.conf import MetaConfig
from meta.errors import MetaError
from meta.redact import redact

logger = logging.getLogger(__name__)

REFRESH_MIN_AGE = timedelta(hours=24)
REFRESH_WINDOW = timedelta(days=10)
REMINDER_DAYS = (14, 7, 1)


def check(credential: Credential) -> None:
    """Ask Meta whether the token still works; a dead one becomes needs_reconnect and is left alone."""
    if not credential.is_usable:
        return
    config = MetaConfig.from_settings()
    try:
        if credential.is_instagram_login:
            oauth.check_token(credential.token, config, instagram_login=True)
        else:
            _check_facebook_token(credential, config)
    except MetaError as exc:
        if not handle_token_error(credential, exc):
            credential.last_error = redact(str(exc))
            credential.last_checked_at = timezone.now()
            credential.save(update_fields=["last_error", "last_checked_at", "updated_at"])
        return
    if credential.status == CredentialStatus.NEEDS_RECONNECT:
        return
    credential.status = _status_by_expiry(credential)
    credential.last_error = ""
    credential.last_checked_at = timezone.now()
    fields = ["status", "last_error", "last_checked_at", "scopes", "needs_rerequest", "expires_at", "updated_at"]
    credential.save(update_fields=fields)


def _check_facebook_token(credential: Credential, config: MetaConfig) -> None:
    try:
        data = oauth.debug_token(credential.token, config)
    except MetaError as exc:
        # debug_token failing says more about our app token than about this one: ask with the token itself.
        logger.warning("debug_token failed for credential %s (%s); checking with /me", credential.pk, exc)
        oauth.check_token(credential.token, config, instagram_login=False)
        return
    if not data.get("is_valid"):
        error = data.get("error") or {}
        message = str(error.get("message") or _("Meta says this token is no longer valid."))
        credential.mark_needs_reconnect(redact(message))
        return
    if data.get("scopes"):
        credential.scopes = sorted(str(scope) for scope in data["scopes"])
        credential.needs_rerequest = bool(credential.missing_scopes)
    expires_at = int(data.get("expires_at") or 0)
    credential.expires_at = datetime.fromtimestamp(expires_at, tz=UTC) if expires_at else None


def _status_by_expiry(credential: Credential) -> str:
    days_left = credential.days_left()
    if not credential.can_refresh and days_left is not None and days_left <= max(REMINDER_DAYS):
        return CredentialStatus.EXPIRING
    return CredentialStatus.ACTIVE


def refreshable_instagram_credentials() -> Any:
    """Instagram tokens Meta will refresh (≥24 h old) that are within 10 days of expiring."""
    now = timezone.now()
    return Credential.objects.usable().filter(
        kind=CredentialKind.INSTAGRAM_USER,
        issued_at__lte=now - REFRESH_MIN_AGE,
        expires_at__lte=now + REFRESH_WINDOW,
        expires_at__gt=now,
    )


def refresh(credential: Credential) -> bool:
    """Refresh an Instagram Login token for another 60 days. Returns True when Meta issued a new one."""
    if not (credential.can_refresh and credential.is_usable):
        return False
    try:
        issued = oauth.refresh_instagram_token(credential.token, MetaConfig.from_settings())
    except MetaError as exc:
        if not handle_token_error(credential, exc):
            credential.last_error = redact(str(exc))
            credential.save(update_fields=["last_error", "updated_at"])
        return False
    credential.renew(issued.access_token, issued.expires_in, list(issued.permissions) or None)
    credential.last_checked_at = timezone.now()
    credential.save()
    return True


def expiring_without_refresh() -> Any:
    horizon = timezone.now() + timedelta(days=max(REMINDER_DAYS))
    return (
        Credential.objects.usable()
        .exclude(kind=CredentialKind.INSTAGRAM_USER)
        .filter(expires_at__isnull=False, expires_at__lte=horizon)
    )


def send_expiry_reminder(credential: Credential) -> bool:
    """At 14, 7 and 1 days before expiry, once each: an e-mail to the organization's managers.

    The in-app banner follows from the EXPIRING status set here."""
    days_left = credential.days_left()
    if days_left is None or not credential.is_usable:
        return False
    due = [days for days in REMINDER_DAYS if days_left <= days and days not in credential.reminders_sent]
    credential.status = CredentialStatus.EXPIRING
    if not due:
        credential.save(update_fields=["status", "updated_at"])
        return False
    recipients = list(
        Membership.objects.filter(organization=credential.organization, role__in=[Role.OWNER, Role.ADMIN])
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if recipients:
        link = settings.SITE_URL.rstrip("/") + reverse("accounts:connected")
        send_mail(
            _("Reconnect %(name)s within %(days)s days") % {"name": credential.name, "days": days_left},
            _(
                "The access SocialDataLab has to %(name)s expires in %(days)s days. Meta does not let us renew "
                "it without you: open %(link)s and choose Reconnect, or collection stops."
            )
            % {"name": credential.name, "days": days_left, "link": link},
            None,
            recipients,
        )
    credential.reminders_sent = sorted({*credential.reminders_sent, *due}, reverse=True)
    credential.save(update_fields=["status", "reminders_sent", "updated_at"])
    return True
