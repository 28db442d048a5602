"""A mention webhook names only ids: the task fetches what was said from Meta (the sandbox)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Credential, CredentialKind
from collector.models import Mention, Profile
from webhooks.tasks import fetch_mention

from .conftest import PAGE_ID, deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected(profile: Profile, sandbox: Any) -> Profile:
    minted = sandbox.mint_token("facebook", "10000000000000001")
    credential = Credential(
        organization=profile.organization,
        kind=CredentialKind.FACEBOOK_USER,
        meta_user_id="10000000000000001",
        subject_id=PAGE_ID,
    )
    credential.token = minted["access_token"]
    credential.save()
    profile.credential = credential
    profile.save()
    return profile


def test_the_mentioned_caption_is_fetched_with_the_profile_s_credential(client: Client, connected: Profile) -> None:
    deliver(client, "mentions_in_media")
    mention = Mention.objects.get()
    fetch_mention(mention.pk)
    mention.refresh_from_db()
    fetched = mention.raw["fetched"]["mentioned_media"]
    assert fetched["id"] == "18060000000000001"
    assert "@" in fetched["caption"]
    assert mention.raw["webhook"] == {"media_id": "18060000000000001"}


def test_the_mentioned_comment_is_fetched(client: Client, connected: Profile) -> None:
    deliver(client, "mentions_in_comment")
    mention = Mention.objects.get()
    fetch_mention(mention.pk)
    mention.refresh_from_db()
    assert mention.raw["fetched"]["mentioned_comment"]["id"] == "17870000000000002"


def test_a_repeated_mention_is_recorded_once(client: Client, connected: Profile) -> None:
    deliver(client, "mentions_in_media", "mentions_in_media")
    assert Mention.objects.count() == 1
