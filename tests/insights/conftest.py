"""Insights fixtures: a person whose organization connected one profile with months of data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.insights.builders import Account, account, populate


@pytest.fixture
def lab(db: None) -> Account:
    """An admin of a lab whose @ifma.saoluis profile has 200 posts over 180 days."""
    created = account()
    populate(created.profile, media=200, comments_per_media=5, days=180)
    return created


@pytest.fixture
def signed_in(client: Client, lab: Account) -> Client:
    client.force_login(lab.user)
    return client


def page_text(response: Any) -> str:
    return response.content.decode()
