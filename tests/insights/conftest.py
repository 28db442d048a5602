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


@pytest.fixture
def sandbox_lab(sandbox: Any, transactional_db: None) -> Account:
    """An admin whose profile is the sandbox's @ifma.saoluis, with an Instagram Login token."""
    from accounts.models import Credential

    minted = sandbox.mint_token("instagram", "ifma.saoluis")
    created = account("ifma.saoluis")
    Credential.objects.filter(pk=created.profile.credential_id).update(meta_user_id=str(minted["user_id"]))
    credential = Credential.objects.get(pk=created.profile.credential_id)
    credential.token = minted["access_token"]
    credential.save()
    created.profile.refresh_from_db()
    return created


def sandbox_comment(sandbox: Any, lab: Account, text: str = "Quando sai o edital?") -> Any:
    """A comment that exists on the sandbox's first post, mirrored in our database."""
    from django.utils import timezone

    from collector.models import Comment, Media

    client = lab.profile.credential.graph_client()
    first = client.get(f"/{lab.profile.meta_id}/media", {"fields": "id,timestamp", "limit": 1})["data"][0]
    created = sandbox._call("POST", "comments", json={"media_id": first["id"], "text": text, "username": "aluna.ifma"})
    media, _ = Media.objects.get_or_create(
        profile=lab.profile, meta_id=first["id"], defaults={"timestamp": timezone.now(), "media_type": "IMAGE"}
    )
    return Comment.objects.create(
        profile=lab.profile, media=media, meta_id=str(created["id"]), username="aluna.ifma", text=text,
        timestamp=timezone.now(),
    )  # fmt: skip


