"""Dealers, API clients and signed-in API callers for the Story API tests."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Credential, CredentialKind, Membership, Organization, Role
from collector.models import Platform, Profile
from meta.client import GraphClient
from publishing.models import ApiClient
from tests.publishing.mp4 import mp4

# tests/bootstrap.py gives the run (and its workers) a throwaway media folder.
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])

# The smallest files whose signatures pass the content checks.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
MP4 = mp4()  # a 10 s 1080x1920 H.264 story video, as far as its boxes tell
JPEG_B64 = base64.b64encode(JPEG).decode()
MP4_B64 = base64.b64encode(MP4).decode()


@pytest.fixture(autouse=True)
def _media_root(settings: Any) -> Path:
    settings.MEDIA_ROOT = MEDIA_ROOT
    # The token endpoint hashes a password on every try; a fast hasher keeps generated runs short.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return MEDIA_ROOT


@dataclass
class Dealer:
    organization: Organization
    page_id: str
    owner: User


@dataclass
class RegisteredClient:
    client: ApiClient
    secret: str


@pytest.fixture
def api_client_app(db: None) -> RegisteredClient:
    client = ApiClient(name="Integrador de Anúncios")
    secret = client.set_new_secret()
    client.save()
    return RegisteredClient(client, secret)


def make_user(username: str, first: str = "", last: str = "") -> User:
    return User.objects.create_user(username, password="s3nha-Forte!", first_name=first, last_name=last)


def link_page(organization: Organization, page_id: str, token: str = "EAA-not-used-page-token") -> Profile:
    credential = Credential(
        organization=organization, kind=CredentialKind.PAGE, meta_user_id="10000000000000001", subject_id=page_id
    )
    credential.token = token
    credential.save()
    return Profile.objects.create(
        organization=organization, platform=Platform.FACEBOOK_PAGE, meta_id=page_id, credential=credential
    )


@pytest.fixture
def dealer(db: None) -> Dealer:
    """The contract's dealer: "LOJA TESTE", Page 123456789, owned by João Silva (no Meta needed)."""
    organization = Organization.objects.create(name="LOJA TESTE")
    owner = make_user("joao", "João", "Silva")
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    link_page(organization, "123456789")
    return Dealer(organization, "123456789", owner)


@pytest.fixture
def sandbox_dealer(db: None, sandbox: Any) -> Dealer:
    """A dealer whose Page is the sandbox's Page, with the real Page token from /me/accounts."""
    user_token = sandbox.mint_token("facebook", "10000000000000001")["access_token"]
    pages = GraphClient(user_token).get("me/accounts", {"fields": "id,name,access_token"})["data"]
    page = pages[0]
    organization = Organization.objects.create(name="IFMA Loja")
    owner = make_user("pesquisadora", "Pesquisadora", "IFMA")
    Membership.objects.create(organization=organization, user=owner, role=Role.ADMIN)
    link_page(organization, page["id"], page["access_token"])
    return Dealer(organization, page["id"], owner)


def headers_for(user: User, app: RegisteredClient) -> dict[str, str]:
    access = str(RefreshToken.for_user(user).access_token)
    return {
        "HTTP_AUTHORIZATION": f"Bearer {access}",
        "HTTP_X_CLIENT_ID": app.client.client_id,
        "HTTP_X_CLIENT_SECRET": app.secret,
    }


@pytest.fixture
def api_as(api_client_app: RegisteredClient) -> Callable[[User], APIClient]:
    """An API client signed in as the given user through the registered app."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(**headers_for(user, api_client_app))
        return client

    return make


@pytest.fixture
def api(api_as: Callable[[User], APIClient], dealer: Dealer) -> APIClient:
    return api_as(dealer.owner)


def stories_url(dealer_id: int | str, story_id: int | str | None = None, channel: str = "facebook") -> str:
    base = f"/social-media/{channel}/story/{dealer_id}"
    return base if story_id is None else f"{base}/{story_id}"
