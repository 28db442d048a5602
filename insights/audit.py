"""The audit trail of comment and message actions: recorded as people act, read by admins,
and exported for releases with pseudonymous actors and no personal data."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db.models import QuerySet

from accounts.models import Organization
from collector.models import Profile
from insights.models import ActionKind, AuditAction, AuditEntry, AuditKey

COMMENT_ACTIONS = {
    ActionKind.REPLY: AuditAction.COMMENT_REPLY,
    ActionKind.HIDE: AuditAction.COMMENT_HIDE,
    ActionKind.UNHIDE: AuditAction.COMMENT_UNHIDE,
    ActionKind.DELETE: AuditAction.COMMENT_DELETE,
}


def record(profile: Profile, user: Any, action: str, target: str) -> AuditEntry:
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        organization_id=profile.organization_id, profile=profile, actor=actor, action=action, target=target
    )


def trail(organization: Organization) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(organization=organization).select_related("actor", "profile")


def _secret(organization: Organization) -> bytes:
    key, _created = AuditKey.objects.get_or_create(
        organization=organization, defaults={"secret": secrets.token_hex(32)}
    )
    return key.secret.encode()


def pseudonym(secret: bytes, user_id: int | None) -> str:
    """HMAC-SHA256 of the user id with the organization's own secret: stable within one
    organization's exports, unlinkable across organizations and to the account itself."""
    if user_id is None:
        return ""
    return hmac.new(secret, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


def export_rows(organization: Organization) -> list[dict[str, str]]:
    """The trail oldest first as rows a release builder can write out: times, pseudonymous
    actors, action codes and internal ids; no names, usernames, e-mails or message text."""
    secret = _secret(organization)
    rows = AuditEntry.objects.filter(organization=organization).order_by("at", "pk")
    return [
        {
            "at": entry.at.isoformat(),
            "actor": pseudonym(secret, entry.actor_id),
            "action": entry.action,
            "profile": str(entry.profile_id or ""),
            "target": entry.target,
        }
        for entry in rows
    ]
