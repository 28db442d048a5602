"""How allauth's logins behave here.

People join through Meta (Facebook Login, Instagram Login) or an invitation, never by an open
username/password sign-up: the account adapter closes that form, the social adapter keeps
sign-up through Meta open. Cancels and errors land on a page with a plain message."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Username/password accounts are made by staff (the demo, seed_demo); everyone else joins via Meta.
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # The default asks the account adapter, which is closed: a first Meta login must still make the person.
        return True

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        name = getattr(provider, "name", "Meta")
        if error == AuthError.CANCELLED:
            message = _("You cancelled the %(provider)s login. Nothing was connected.") % {"provider": name}
            messages.info(request, message)
        else:
            messages.error(
                request,
                _("The %(provider)s login could not be completed. Nothing was connected; please try again.")
                % {"provider": name},
            )
        target = "accounts:connected" if request.user.is_authenticated else "home"
        raise ImmediateHttpResponse(redirect(target))

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("accounts:connected")
