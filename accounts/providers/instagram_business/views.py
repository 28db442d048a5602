from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.http import HttpRequest

from meta.conf import MetaConfig
from meta.errors import MetaError
from meta.oauth import (
    exchange_instagram_code,
    fetch_instagram_profile,
    instagram_access_token_url,
    instagram_authorize_url,
    parse_permissions,
)


class InstagramBusinessOAuth2Client(OAuth2Client):
    """allauth's client expects `access_token` at the top level; Instagram may wrap it in `data`."""

    def get_access_token(self, code: str, pkce_code_verifier: str | None = None, extra_data: Any = None) -> Any:
        try:
            return exchange_instagram_code(code, self.callback_url, MetaConfig.from_settings())
        except MetaError as exc:
            raise OAuth2Error(f"Instagram refused the authorization code: {exc.message}") from exc


class InstagramBusinessOAuth2Adapter(OAuth2Adapter):
    provider_id = "instagram_business"
    scope_delimiter = ","
    access_token_method = "POST"  # nosec: an HTTP verb
    client_class = InstagramBusinessOAuth2Client

    @property
    def authorize_url(self) -> str:  # type: ignore[override]
        return instagram_authorize_url(MetaConfig.from_settings())

    @property
    def access_token_url(self) -> str:  # type: ignore[override]
        return instagram_access_token_url(MetaConfig.from_settings())

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        try:
            profile = fetch_instagram_profile(token.token, MetaConfig.from_settings())
        except MetaError as exc:
            raise OAuth2Error(f"Instagram did not return the account: {exc.message}") from exc
        # The scopes actually granted, from the code exchange (a string or an array at Meta).
        profile["permissions"] = ",".join(parse_permissions((kwargs.get("response") or {}).get("permissions")))
        return self.get_provider().sociallogin_from_response(request, profile)


oauth2_login = OAuth2LoginView.adapter_view(InstagramBusinessOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(InstagramBusinessOAuth2Adapter)
