"""Token lifecycle and Meta's callbacks, as Celery tasks (queue `default`). Arguments are ids, never tokens."""

from __future__ import annotations

import logging

from celery import shared_task

from accounts import connect, forget, lifecycle
from accounts.models import Credential

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def check_credentials() -> int:
    """Daily: one check per usable credential (needs_reconnect and revoked ones are never called again)."""
    ids = list(Credential.objects.usable().values_list("pk", flat=True))
    for credential_id in ids:
        check_credential.delay(credential_id)
    return len(ids)


@shared_task(acks_late=True)
def check_credential(credential_id: int) -> str:
    credential = Credential.objects.filter(pk=credential_id).first()
    if credential is None:
        return "gone"
    lifecycle.check(credential)
    return credential.status


@shared_task(acks_late=True)
def refresh_instagram_tokens() -> int:
    """Daily: Instagram tokens at least 24 h old and within 10 days of expiry get another 60 days."""
    refreshed = 0
    for credential in lifecycle.refreshable_instagram_credentials():
        refreshed += lifecycle.refresh(credential)
    return refreshed


@shared_task(acks_late=True)
def refresh_credential(credential_id: int) -> bool:
    """The admin's "Refresh now": lifecycle.refresh for one credential, by id."""
    credential = Credential.objects.filter(pk=credential_id).first()
    return credential is not None and lifecycle.refresh(credential)


@shared_task(acks_late=True)
def subscribe_webhooks(credential_id: int) -> str:
    credential = Credential.objects.filter(pk=credential_id).first()
    return "gone" if credential is None else connect.subscribe_webhooks(credential)


@shared_task(acks_late=True)
def send_expiry_reminders() -> int:
    """Daily: tokens that cannot be refreshed are announced at 14, 7 and 1 days before they expire."""
    return sum(lifecycle.send_expiry_reminder(credential) for credential in lifecycle.expiring_without_refresh())


@shared_task(acks_late=True)
def revoke_and_forget(credential_ids: list[int]) -> None:
    forget.revoke_and_forget(credential_ids)


@shared_task(acks_late=True)
def delete_meta_user_data(request_id: int) -> None:
    forget.delete_meta_user_data(request_id)
