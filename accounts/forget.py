"""Disconnecting and forgetting: a person's disconnect, and Meta's deauthorize and data-deletion callbacks."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    Credential,
    CredentialKind,
    CredentialStatus,
    DataDeletionRequest,
    DeletionStatus,
    Organization,
)
from accounts.signals import profiles_deleting
from meta import oauth
from meta.conf import MetaConfig, graph_host
from meta.errors import PermissionMissing, TokenInvalid
from meta.redact import redact

logger = logging.getLogger(__name__)


def connection_of(credential: Credential) -> list[Credential]:
    """Everything one login granted in this organization: an Instagram token, or a Facebook user
    token with the Page tokens taken from it. Disconnecting one disconnects them all."""
    if credential.kind == CredentialKind.INSTAGRAM_USER:
        return [credential]
    return list(
        Credential.objects.filter(
            organization=credential.organization,
            meta_user_id=credential.meta_user_id,
            kind__in=[CredentialKind.FACEBOOK_USER, CredentialKind.PAGE],
        ).order_by("kind", "name")
    )


def begin_disconnect(credential: Credential, *, delete_data: bool) -> list[int]:
    """The part of a disconnect done at once: scheduled work stops, and the data goes if asked.

    The grant is revoked at Meta by `accounts.tasks.revoke_and_forget` (it talks to Meta)."""
    connection = connection_of(credential)
    ids = [item.pk for item in connection]
    with transaction.atomic():
        if delete_data:
            _delete_profiles(credential.organization.profiles.filter(credential_id__in=ids))
        Credential.objects.filter(pk__in=ids).update(status=CredentialStatus.REVOKED, updated_at=timezone.now())
    return ids


def _delete_profiles(profiles: Any) -> None:
    """Profiles cascade to everything collected from them; what is kept outside the cascade (raw
    webhook deliveries) is forgotten by the rooms that hold it (`profiles_deleting`). Locking them
    first makes a collection task that is inserting rows for them finish before the cascade looks
    (or wait, then fail)."""
    rows = list(profiles.select_for_update().values_list("pk", "meta_id"))
    ids = [pk for pk, _ in rows]
    meta_ids = sorted({meta_id for _, meta_id in rows if meta_id})
    profiles_deleting.send(sender=profiles.model, profile_ids=ids, meta_ids=meta_ids)
    profiles.model.objects.filter(pk__in=ids).delete()


def revoke_and_forget(credential_ids: list[int]) -> None:
    """Withdraw the grant at Meta (`DELETE /me/permissions` with the user token), then delete the tokens."""
    credentials = list(Credential.objects.filter(pk__in=credential_ids))
    config = MetaConfig.from_settings()
    for credential in credentials:
        if credential.kind == CredentialKind.PAGE or not credential.has_token:
            continue
        try:
            oauth.revoke_permissions(credential.token, graph_host(credential.is_instagram_login), config)
        except (TokenInvalid, PermissionMissing) as exc:  # already dead at Meta: nothing left to revoke
            logger.info("credential %s was already unusable at Meta: %s", credential.pk, redact(str(exc)))
    Credential.objects.filter(pk__in=credential_ids).delete()


def deauthorize(meta_user_id: str) -> int:
    """Meta's deauthorize callback: the person removed the app; their tokens are useless, forget them."""
    credentials = Credential.objects.filter(meta_user_id=meta_user_id).exclude(status=CredentialStatus.REVOKED)
    for credential in credentials:
        credential.revoke()
    return len(credentials)


def delete_meta_user_data(request_id: int) -> None:
    """Meta's data-deletion callback: the tokens and everything collected through them."""
    deletion = DataDeletionRequest.objects.get(pk=request_id)
    credentials = Credential.objects.filter(meta_user_id=deletion.meta_user_id)
    with transaction.atomic():
        for organization in Organization.objects.filter(credentials__in=credentials).distinct():
            _delete_profiles(
                organization.profiles.filter(
                    Q(credential__in=credentials) | Q(meta_id__in=credentials.values("subject_id"))
                )
            )
        deleted = credentials.count()
        credentials.delete()
        deletion.status = DeletionStatus.DONE
        deletion.credentials_deleted = deleted
        deletion.completed_at = timezone.now()
        deletion.save(update_fields=["status", "credentials_deleted", "completed_at"])
