"""Dealers, API clients and signed-in API callers for the Story API tests."""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
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


def give_viewers(sandbox: Any, story_id: str, age_minutes: float = 0, **metrics: int) -> dict[str, Any]:
    """The sandbox's control call that gives a published story its counts (docs/sandbox.md)."""
    response = requests.post(
        f"{sandbox.url}/_sandbox/story_insights",
        json={"id": story_id, "metrics": metrics, "age_minutes": age_minutes},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


class CallbackReceiver:
    """An HTTP server of the suite standing in for a shop's callback URL; answers `statuses` in turn."""

    def __init__(self, statuses: list[int]) -> None:
        self.received: list[Received] = []
        self.statuses = statuses
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(Received(dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/story-callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.received) >= count, f"{len(self.received)} callbacks of {count} in {timeout}s"
        return self.received


@pytest.fixture
def callback_receiver() -> Iterator[Callable[[list[int]], CallbackReceiver]]:
    made: list[CallbackReceiver] = []

    def make(statuses: list[int]) -> CallbackReceiver:
        made.append(CallbackReceiver(list(statuses)))
        return made[-1]

    yield make
    for receiver in made:
        receiver.server.shutdown()
        receiver.server.server_close()
