"""Vault fixtures: a sandbox account connected through Facebook Login (the login that gets Meta's
story_insights webhook), the sandbox's story and clock controls, and the webhook callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from accounts.models import Credential, CredentialKind
from tests.insights.builders import Account, account


class Stories:
    """The sandbox's story controls (docs/sandbox.md, "Stories")."""

    def __init__(self, url: str) -> None:
        self.control = f"{url}/_sandbox"

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = requests.post(f"{self.control}/{path}", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def post(self, age_minutes: float, **metrics: int) -> str:
        """ifma.saoluis posts a story `age_minutes` ago with these lifetime counts; its id."""
        return self._post("stories", {"account": "ifma.saoluis", "age_minutes": age_minutes, "metrics": metrics})["id"]

    def viewers(self, story_id: str, **metrics: int) -> None:
        self._post("story_insights", {"id": story_id, "metrics": metrics})

    def advance(self, minutes: float) -> dict[str, Any]:
        """Meta's clock moves on; due story_insights webhooks are sent on the way."""
        return self._post("clock", {"advance_minutes": minutes})

    def subscribe(self, callback: str) -> None:
        self._post("app/subscriptions", {"object": "instagram", "fields": ["story_insights"], "callback_url": callback})

    def send_due(self) -> list[dict[str, Any]]:
        return self._post("story_insights/send_due", {})["sent"]


@pytest.fixture
def stories(sandbox: Any) -> Stories:
    return Stories(sandbox.url)


def connect_through_page(lab: Account, sandbox_url: str) -> Account:
    """Give the lab's Instagram profile the Page token Facebook Login would have stored."""
    minted = requests.post(
        f"{sandbox_url}/_sandbox/tokens", json={"login": "facebook", "account": "ifma.saoluis"}, timeout=30
    ).json()
    credential = Credential(
        organization=lab.organization, kind=CredentialKind.PAGE, meta_user_id=str(minted["user_id"]),
        subject_id=str(minted["page_id"]), name="IFMA Campus São Luís - Monte Castelo",
    )  # fmt: skip
    credential.token = minted["page_access_token"]
    credential.save()
    lab.profile.credential, lab.profile.page_id = credential, str(minted["page_id"])
    lab.profile.save(update_fields=["credential", "page_id"])
    return lab


@pytest.fixture
def facebook_lab(sandbox: Any, transactional_db: None) -> Callable[[str], Account]:
    def make(name: str = "ifma.saoluis") -> Account:
        return connect_through_page(account(name), sandbox.url)

    return make
