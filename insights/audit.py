"""The audit trail of comment and message actions: recorded as people act, read by admins,
and exported for releases with pseudonymous actors and no personal data."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import IntegrityError, transaction
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


def organization_secret(organization: Organization) -> bytes:
    """The organization's pseudonym secret, made on first use (stored encrypted: AuditKey)."""
    key = AuditKey.objects.filter(organization=organization).first()
    if key is None:
        key = AuditKey(organization=organization)
        key.secret = secrets.token_hex(32)
        try:
            with transaction.atomic():
                key.save()
        except IntegrityError:  # made meanwhile by another export: theirs is the one
            key = AuditKey.objects.get(organization=organization)
    return key.secret.encode()


def pseudonym(secret: bytes, value: int | str | None, namespace: str = "") -> str:
    """HMAC-SHA256 of an id with the organization's own secret: stable within one
    organization's exports, unlinkable across organizations and to the account itself.
    `namespace` keeps kinds of ids apart (a member's 12 is not a commenter's 12); members,
    the first kind, have none so their pseudonyms stay what they were."""
    if value is None or value == "":
        return ""
    message = f"{namespace}:{value}" if namespace else str(value)
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()[:16]


def export_rows(organization: Organization) -> list[dict[str, str]]:
    """The trail oldest first as rows a release builder can write out: times, pseudonymous
    actors, action codes and internal ids; no names, usernames, e-mails or message text."""
    secret = organization_secret(organization)
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
