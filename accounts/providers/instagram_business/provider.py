"""Instagram Business Login (Instagram API with Instagram Login) as an allauth provider.

allauth's own `instagram` provider targets the retired Basic Display API; this one uses
www.instagram.com/oauth/authorize and the instagram_business_* scopes.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from accounts.providers.instagram_business.views import InstagramBusinessOAuth2Adapter


class InstagramBusinessAccount(ProviderAccount):
    def get_profile_url(self) -> str:
        return f"https://www.instagram.com/{self.account.extra_data.get('username', '')}"

    def to_str(self) -> str:
        return self.account.extra_data.get("username") or super().to_str()


class InstagramBusinessProvider(OAuth2Provider):
    id = "instagram_business"
    name = "Instagram"
    account_class = InstagramBusinessAccount
    oauth2_adapter_class = InstagramBusinessOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        return ["instagram_business_basic"]

    def extract_uid(self, data: dict[str, Any]) -> str:
        return str(data["user_id"])

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"username": data.get("username")}


provider_classes = [InstagramBusinessProvider]
