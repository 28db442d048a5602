"""How allauth's social login behaves here: cancels and errors land on a page with a plain message."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class SocialAccountAdapter(DefaultSocialAccountAdapter):
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
