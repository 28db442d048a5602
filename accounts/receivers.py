"""After a Meta login allauth announces who logged in; here the tokens are exchanged and stored.

Three allauth signals cover the three ways in: a login or first sign-up (`user_logged_in`), a
logged-in person connecting a new account (`social_account_added`) or reconnecting one they had
(`social_account_updated` during a connect).
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import connect
from accounts.models import Credential, CredentialKind, Membership, Organization
from accounts.permissions import DECLINED_SESSION_KEY, PermissionsDeclined
from meta.errors import MetaError
from meta.oauth import IssuedToken
from meta.redact import redact

logger = logging.getLogger(__name__)


@receiver(user_logged_in)
def connect_after_login(
    sender: Any, request: HttpRequest, user: Any, sociallogin: SocialLogin | None = None, **_: Any
) -> None:
    if sociallogin is not None:
        connect_login(request, user, sociallogin)


@receiver(social_account_added)
def connect_added_account(sender: Any, request: HttpRequest, sociallogin: SocialLogin, **_: Any) -> None:
    connect_login(request, sociallogin.user, sociallogin)


@receiver(social_account_updated)
def reconnect_account(sender: Any, request: HttpRequest, sociallogin: SocialLogin, **_: Any) -> None:
    # During a plain login this fires too, before user_logged_in: only a connect is handled here.
    same_person = request.user.is_authenticated and sociallogin.user == request.user
    if sociallogin.state.get("process") == AuthProcess.CONNECT and same_person:
        connect_login(request, request.user, sociallogin)


def connect_login(request: HttpRequest, user: Any, sociallogin: SocialLogin) -> None:
    token = sociallogin.token
    provider = sociallogin.account.provider
    if token is None or provider not in ("facebook", "instagram_business"):
        return
    expires_in = int((token.expires_at - timezone.now()).total_seconds()) if token.expires_at else None
    permissions = str(sociallogin.account.extra_data.get("permissions") or "")
    issued = IssuedToken(token.token, expires_in, tuple(scope for scope in permissions.split(",") if scope))
    organization = connect.organization_for(user)
    try:
        if provider == "instagram_business":
            credentials = connect.connect_instagram(organization, user, issued)
        else:
            credentials = connect.connect_facebook(organization, user, issued)
    except PermissionsDeclined as exc:
        remember_declined(request, provider, exc.scopes)
        messages.error(
            request, _("You are logged in, but nothing was connected: Meta did not grant a permission we need.")
        )
        return
    except MetaError as exc:
        logger.warning("login of user %s could not finish connecting: %s", user.pk, redact(str(exc)))
        messages.error(
            request,
            _(
                "You are logged in, but Meta did not let us finish connecting your accounts. Try again from "
                "Connected accounts."
            ),
        )
        return
    messages.success(request, connected_message(organization, user, credentials))
    remember_declined(
        request, provider, sorted({scope for credential in credentials for scope in credential.missing_scopes})
    )


def remember_declined(request: HttpRequest, provider: str, scopes: list[str]) -> None:
    """Permissions unticked on Meta's consent screen: the banner (accounts_tags) names them, says what
    stops working, and offers to ask again; a later login granting them all takes it down."""
    if scopes:
        request.session[DECLINED_SESSION_KEY] = {"provider": provider, "scopes": scopes}
    else:
        request.session.pop(DECLINED_SESSION_KEY, None)


def connected_message(organization: Organization, user: Any, credentials: list[Credential]) -> str:
    """Reads "Connected ifma.saoluis."; the organization is named only when the person has several."""
    # The Facebook user's own token is how the Pages were reached, not something people connected.
    assets = [c for c in credentials if c.name and c.kind != CredentialKind.FACEBOOK_USER]
    names = ", ".join(credential.name for credential in assets)
    if not names:
        return _("You are logged in. Meta showed us no Page or professional account to connect.")
    if Membership.objects.filter(user=user).count() > 1:
        return _("Connected %(names)s to %(organization)s.") % {"names": names, "organization": organization.name}
    return _("Connected %(names)s.") % {"names": names}
