"""Connecting what a login grants: the organization, one credential per asset, its webhooks.

The login receivers, `seed_demo` and the admin's resubscribe action call these, so a token is
handled the same way wherever it comes from. Tokens stay inside; callers pass ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Credential, CredentialKind, Membership, Organization, Role
from accounts.permissions import PermissionsDeclined, declined
from accounts.signals import ConnectedAsset, assets_connected
from accounts.token_errors import handle_token_error
from meta import oauth
from meta.conf import MetaConfig
from meta.errors import MetaError
from meta.redact import redact

logger = logging.getLogger(__name__)


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
