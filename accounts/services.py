"""What accounts does with Meta: connect what a login grants, check, refresh, remind, revoke, forget.

The login receivers, the lifecycle tasks, the admin actions and `seed_demo` all call these, so a
token is handled the same way wherever it comes from. Tokens stay inside; callers pass ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    Credential,
    CredentialKind,
    CredentialStatus,
    DataDeletionRequest,
    DeletionStatus,
    Membership,
    Organization,
    Role,
)
from accounts.permissions import PermissionsDeclined, declined
from accounts.signals import ConnectedAsset, assets_connected, profiles_deleting
from meta import oauth
from meta.conf import MetaConfig, graph_host
from meta.errors import MetaError, PermissionMissing, TokenInvalid
from meta.redact import redact

logger = logging.getLogger(__name__)

REFRESH_MIN_AGE = timedelta(hours=24)
REFRESH_WINDOW = timedelta(days=10)
REMINDER_DAYS = (14, 7, 1)


# -- errors anywhere in the project -------------------------------------------------------------
def handle_token_error(credential: Credential, exc: MetaError) -> bool:
    """Mark the credential needs_reconnect when Meta says its token is dead or lacks a permission.

    Returns True when the error was about the token (the caller stops using it), False otherwise.
    Every scheduled job skips credentials that are not `usable()`, so this is what stops them.
    """
    if not isinstance(exc, (TokenInvalid, PermissionMissing)):
        return False
    if credential.mark_needs_reconnect(redact(str(exc)), rerequest=isinstance(exc, PermissionMissing)):
        logger.warning("credential %s needs reconnect: %s", credential.pk, redact(str(exc)))
    else:
        logger.info("credential %s: an older token failed (%s); its new one stays", credential.pk, redact(str(exc)))
    return True


# -- connecting -----------------------------------------------------------------------------------
def organization_for(user: Any) -> Organization:
    """Where a login connects its assets: the first organization the person manages, or, on their
    first login, a new one they own."""
    organization = Organization.objects.managed_by(user).order_by("memberships__created_at").first()
    if organization is None:
        label = user.get_full_name() or user.get_username()
        organization = Organization.objects.create(name=_("%(name)s's organization") % {"name": label})
        Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
    return organization


@dataclass(frozen=True)
class _Asset:
    """An asset found at Meta before anything is stored: which credential row it goes to, and what it is."""

    kind: str
    subject_id: str
    name: str
    token: oauth.IssuedToken
    platforms: tuple[tuple[str, str, str, str, str], ...]  # (platform, meta_id, username, name, picture)
    page_id: str = ""


def _store(
    organization: Organization, user: Any, meta_user_id: str, asset: _Asset, scopes: list[str]
) -> Credential:
    credential = Credential.objects.filter(
        organization=organization, kind=asset.kind, subject_id=asset.subject_id
    ).first() or Credential(organization=organization, kind=asset.kind, subject_id=asset.subject_id)
    credential.user = user
    credential.meta_user_id = meta_user_id
    credential.name = asset.name
    credential.renew(asset.token.access_token, asset.token.expires_in, scopes)
    credential.last_checked_at = timezone.now()
    credential.save()
    return credential


def _save_and_announce(
    organization: Organization, user: Any, meta_user_id: str, found: list[_Asset], scopes: list[str]
) -> list[Credential]:
    with transaction.atomic():
        credentials, assets = [], []
        for asset in found:
            credential = _store(organization, user, meta_user_id, asset, scopes)
            credentials.append(credential)
            for platform, meta_id, username, name, picture in asset.platforms:
                assets.append(
                    ConnectedAsset(
                        platform=platform,
                        meta_id=meta_id,
                        credential_id=credential.pk,
                        username=username,
                        name=name,
                        page_id=asset.page_id if platform == "instagram" else "",
                        picture_url=picture,
                    )
                )
        assets_connected.send(sender=Credential, organization=organization, assets=assets)
    return credentials


def connect_instagram(
    organization: Organization, user: Any, issued: oauth.IssuedToken, *, exchange: bool = True
) -> list[Credential]:
    """Instagram Business Login: long-lived token, the account behind it, its webhooks, a backfill."""
    config = MetaConfig.from_settings()
    scopes = list(issued.permissions)
    if exchange:
        issued = oauth.exchange_instagram_token(issued.access_token, config)
    profile = oauth.fetch_instagram_profile(issued.access_token, config)
    account_id = str(profile["user_id"])
    username = str(profile.get("username") or "")
    asset = _Asset(
        kind=CredentialKind.INSTAGRAM_USER,
        subject_id=account_id,
        name=username,
        token=issued,
        platforms=(
            ("instagram", account_id, username, str(profile.get("name") or ""), profile.get("profile_picture_url", "")),
        ),
    )
    app_scoped_id = str(profile.get("id") or account_id)
    credentials = _save_and_announce(organization, user, app_scoped_id, [asset], scopes or list(issued.permissions))
    try:
        oauth.subscribe_instagram(issued.access_token, config)
    except MetaError as exc:  # webhooks are a bonus: the schedule still collects
        logger.warning("could not subscribe Instagram account %s to webhooks: %s", account_id, redact(str(exc)))
    return credentials


def connect_facebook(
    organization: Organization, user: Any, issued: oauth.IssuedToken, *, exchange: bool = True
) -> list[Credential]:
    """Facebook Login: long-lived user token, each Page with its token and linked Instagram account."""
    config = MetaConfig.from_settings()
    if exchange:
        issued = oauth.exchange_facebook_token(issued.access_token, config)
    me = oauth.fetch_facebook_user(issued.access_token, config)
    scopes = _facebook_scopes(issued.access_token, config)
    found = [
        _Asset(
            kind=CredentialKind.FACEBOOK_USER, subject_id=str(me["id"]), name=str(me.get("name") or ""), token=issued,
            platforms=(),
        )
    ]
    if declined(["pages_show_list"], scopes):
        # Without it Meta refuses the Page list (code 10): say so instead of failing on the call.
        raise PermissionsDeclined(declined(list(settings.META_FACEBOOK_SCOPES), scopes))
    pages = oauth.list_pages(issued.access_token, config)
    for page in pages:
        page_id, page_name = str(page["id"]), str(page.get("name") or "")
        platforms = [("facebook_page", page_id, "", page_name, "")]
        linked = page.get("instagram_business_account")
        if linked:
            platforms.append(
                (
                    "instagram",
                    str(linked["id"]),
                    str(linked.get("username") or ""),
                    str(linked.get("name") or ""),
                    str(linked.get("profile_picture_url") or ""),
                )
            )
        # Page tokens taken from a long-lived user token do not expire.
        page_token = oauth.IssuedToken(access_token=str(page["access_token"]), expires_in=None)
        found.append(
            _Asset(
                kind=CredentialKind.PAGE, subject_id=page_id, name=page_name, token=page_token,
                platforms=tuple(platforms), page_id=page_id,
            )
        )
    credentials = _save_and_announce(organization, user, str(me["id"]), found, scopes)
    for page in pages:
        try:
            oauth.subscribe_page(str(page["id"]), str(page["access_token"]), config)
        except MetaError as exc:
            logger.warning("could not subscribe Page %s to webhooks: %s", page["id"], redact(str(exc)))
    return credentials


def _facebook_scopes(user_token: str, config: MetaConfig) -> list[str]:
    try:
        return [str(scope) for scope in oauth.debug_token(user_token, config).get("scopes") or []]
    except MetaError as exc:
        logger.warning("debug_token failed while connecting: %s", redact(str(exc)))
        return []


# -- the daily check, refresh and reminders --------------------------------------------------------
def check_credential(credential: Credential) -> None:
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


def refresh_credential(credential: Credential) -> bool:
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


# -- webhooks ------------------------------------------------------------------------------------
def subscribe_webhooks(credential: Credential) -> str:
    """Subscribe the credential's asset to the app's webhooks again, as connecting did: an Instagram
    Login account to comments and messages, a Page to feed. For the admin, when deliveries stopped
    arriving (Meta drops the subscription when a person removes the app or the Page changes hands).

    Returns what happened: "subscribed", "not an asset" (a Facebook user token has none),
    "unusable", or "failed" (the error is on the credential's last_error).
    """
    if credential.kind not in (CredentialKind.INSTAGRAM_USER, CredentialKind.PAGE):
        return "not an asset"
    if not credential.is_usable:
        return "unusable"
    config = MetaConfig.from_settings()
    try:
        if credential.kind == CredentialKind.INSTAGRAM_USER:
            oauth.subscribe_instagram(credential.token, config)
        else:
            oauth.subscribe_page(credential.subject_id, credential.token, config)
    except MetaError as exc:
        if not handle_token_error(credential, exc):
            credential.last_error = redact(str(exc))
            credential.save(update_fields=["last_error", "updated_at"])
            logger.warning("credential %s: webhook subscription failed: %s", credential.pk, redact(str(exc)))
        return "failed"
    return "subscribed"


# -- disconnecting and forgetting ------------------------------------------------------------------
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
