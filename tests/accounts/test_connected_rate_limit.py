"""An app-level rate limit (Meta's code 4) pauses every account of the app at once, and Connected
accounts says so for each of them, with the time access returns, instead of "Active"; a pause of our
own hourly call budget is named as ours."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Credential, CredentialKind
from collector import collect
from collector.models import CollectionStatus, Platform, Profile
from collector.runs import governor_for
from meta.errors import RateLimited

pytestmark = pytest.mark.django_db


def instagram_login_profile(organization: Any, meta_id: str, username: str) -> Profile:
    credential = Credential(
        organization=organization, kind=CredentialKind.INSTAGRAM_USER, meta_user_id=meta_id, subject_id=meta_id
    )
    credential.token = f"IGAA-not-a-real-token-for-{username}"
    credential.save()
    return Profile.objects.create(
        organization=organization, credential=credential, platform=Platform.INSTAGRAM, meta_id=meta_id,
        username=username,
    )  # fmt: skip


@pytest.fixture
def clean_pauses() -> Iterator[None]:
    yield
    redis = collect.redis_client()
    for key in redis.scan_iter("meta:rl:*"):
        redis.delete(key)


def status_cells(html: str) -> list[str]:
    rows = re.findall(r'<tr class="connected-asset".*?</tr>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", row) for row in rows]


def test_a_code_4_limit_on_one_account_shows_every_account_of_the_app_paused(
    client: Any, owner: Any, organization: Any, clean_pauses: None
) -> None:
    limited = instagram_login_profile(organization, "17841400000000001", "ifma.saoluis")
    instagram_login_profile(organization, "17841400000000002", "ifma.imperatriz")
    # What the client does when Meta answers code 4 for @ifma.saoluis: pause the account and the app.
    governor_for(limited).after_response(
        {"X-App-Usage": '{"call_count": 100}'}, RateLimited("Application request limit reached", code=4)
    )
    client.force_login(owner)

    cells = status_cells(client.get("/accounts/connected/").content.decode())

    assert len(cells) == 2
    for cell in cells:
        assert re.search(r"Paused by Meta.s rate limit until \d\d:\d\d", cell), cell
        assert " Active " not in cell


def test_an_account_with_no_pause_is_active(client: Any, owner: Any, organization: Any, clean_pauses: None) -> None:
    instagram_login_profile(organization, "17841400000000003", "ifma.caxias")
    client.force_login(owner)

    [cell] = status_cells(client.get("/accounts/connected/").content.decode())

    assert " Active " in cell and "Paused" not in cell


def test_an_account_paused_by_our_own_budget_says_so_and_does_not_blame_meta(
    client: Any, owner: Any, organization: Any, clean_pauses: None
) -> None:
    profile = instagram_login_profile(organization, "17841400000000004", "ifma.codo")
    Profile.objects.filter(pk=profile.pk).update(
        collection_status=CollectionStatus.BUDGET_SPENT, next_retry_at=timezone.now() + timedelta(minutes=20)
    )
    client.force_login(owner)

    [cell] = status_cells(client.get("/accounts/connected/").content.decode())

    assert re.search(r"Paused by our hourly call budget until \d\d:\d\d", cell), cell
    assert "Meta" not in cell and " Active " not in cell
