from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.http import HttpRequest

from meta.conf import INSTAGRAM_API, INSTAGRAM_WWW, MetaConfig
from meta.oauth import fetch_instagram_profile, unwrap_instagram_code_exchange


class InstagramBusinessOAuth2Adapter(OAuth2Adapter):
    provider_id = "instagram_business"
    scope_delimiter = ","
    access_token_method = "POST"  # nosec: an HTTP verb

    @property
    def authorize_url(self) -> str:  # type: ignore[override]
        return MetaConfig.from_settings().url(INSTAGRAM_WWW, "/oauth/authorize")

    @property
    def access_token_url(self) -> str:  # type: ignore[override]
        return MetaConfig.from_settings().url(INSTAGRAM_API, "/oauth/access_token")

    def get_access_token_data(
        self, request: HttpRequest, app: Any, client: Any, pkce_code_verifier: str | None = None
    ) -> dict[str, Any]:
        return unwrap_instagram_code_exchange(super().get_access_token_data(request, app, client, pkce_code_verifier))

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        profile = fetch_instagram_profile(token.token, MetaConfig.from_settings())
        return self.get_provider().sociallogin_from_response(request, profile)


oauth2_login = OAuth2LoginView.adapter_view(InstagramBusinessOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(InstagramBusinessOAuth2Adapter)
