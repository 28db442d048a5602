"""The Story API's credentials: a simplejwt bearer token AND a registered API client.

Bodies are the contract's, word for word (it is in Portuguese). A missing token or missing
client headers → "não foram fornecidas"; a bad or expired token, an unknown client id or a
wrong client secret → "Token inválido ou expirado." (the contract has only these two 401s,
and a wrong secret is an invalid credential, not a missing one).
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed as JWTAuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken

from publishing.models import ApiClient

NOT_PROVIDED = "As credenciais de autenticação não foram fornecidas."
INVALID = "Token inválido ou expirado."
CLIENT_ID_HEADER = "HTTP_X_CLIENT_ID"
CLIENT_SECRET_HEADER = "HTTP_X_CLIENT_SECRET"


class ClientJWTAuthentication(JWTAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = self.get_header(request)
        try:
            raw_token = self.get_raw_token(header) if header is not None else None
        except JWTAuthenticationFailed as exc:  # "Bearer" with no token, or with spaces in it
            raise exceptions.AuthenticationFailed(INVALID, code="token_not_valid") from exc
        client_id = request.META.get(CLIENT_ID_HEADER, "")
        client_secret = request.META.get(CLIENT_SECRET_HEADER, "")
        if raw_token is None or not client_id or not client_secret:
            if raw_token is None and not client_id and not client_secret:
                return None  # DRF answers 401 with NotAuthenticated: the same body
            raise exceptions.AuthenticationFailed(NOT_PROVIDED, code="not_authenticated")
        try:
            validated = self.get_validated_token(raw_token)
            user = self.get_user(validated)
        except (InvalidToken, JWTAuthenticationFailed) as exc:
            raise exceptions.AuthenticationFailed(INVALID, code="token_not_valid") from exc
        client = ApiClient.authenticate(client_id, client_secret)
        if client is None:
            raise exceptions.AuthenticationFailed(INVALID, code="client_not_valid")
        request.api_client = client  # type: ignore[attr-defined]
        return user, validated
