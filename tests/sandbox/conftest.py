"""Fixtures for the sandbox's own tests: a raw client of its control API and mirrored hosts."""

from __future__ import annotations

from typing import Any

import pytest
import requests


@pytest.fixture(scope="session")
def sandbox_url(sandbox_process: str) -> str:
    """The suite's sandbox process (tests/conftest.py)."""
    return sandbox_process


class Control:
    """The /_sandbox/ control API plus the mirrored Meta hosts."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ig = f"{url}/graph.instagram.com/v25.0"
        self.fb = f"{url}/graph.facebook.com/v25.0"

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}/_sandbox/{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def token(self, login: str = "instagram", account: str = "ifma.saoluis", **options: Any) -> str:
        spec = {"login": login, "account": account, **options}
        return str(self("POST", "tokens", json=spec)["access_token"])


@pytest.fixture
def ctl(sandbox_url: str) -> Control:
    """The running sandbox, back in its seeded state."""
    control = Control(sandbox_url)
    control("POST", "reset")
    return control
