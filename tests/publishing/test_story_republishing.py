"""A PUT or PATCH that queues a published story again publishes it once more, keeping the old one in history."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from publishing.models import AssetType, StoryStatus
from tests.publishing.conftest import JPEG_B64, PNG, Dealer, stories_url
from tests.publishing.test_publishing_worker import page_stories, queue, settled

pytestmark = [pytest.mark.sqlite, pytest.mark.usefixtures("celery_worker", "transactional_db")]


def test_it_publishes_a_put_with_a_new_file_once_and_keeps_the_first_publication_in_history(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)
    first = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))
    assert first.status == StoryStatus.PUBLISHED

    response = api.put(
        stories_url(sandbox_dealer.organization.pk, first.pk),
        {
            "asset_type": 1,
            "page_id": sandbox_dealer.page_id,
            "asset_base64": base64.b64encode(PNG).decode(),
            "status": 1,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == 1 and response.json()["facebook_post_id"] is None
    second = settled(first.pk)
    assert second.status == StoryStatus.PUBLISHED, second.error
    time.sleep(1)  # a duplicate run would have posted by now
    on_page = page_stories(sandbox)
    assert len(on_page) == 2
    assert second.facebook_post_id != first.facebook_post_id
    assert {s["post_id"] for s in on_page} == {first.facebook_post_id, second.facebook_post_id}
    body = api.get(stories_url(sandbox_dealer.organization.pk, first.pk)).json()
    assert body["facebook_post_id"] == second.facebook_post_id and body["story_url"] == second.story_url
    assert body["asset"].endswith(".png")
    [earlier] = body["history"]
    assert earlier["facebook_post_id"] == first.facebook_post_id and earlier["story_url"] == first.story_url


def test_it_publishes_again_once_when_patch_sets_status_1_on_a_published_story(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)
    first = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    response = api.patch(stories_url(sandbox_dealer.organization.pk, first.pk), {"status": 1}, format="json")

    assert response.status_code == 200 and response.json()["status_display"] == "Na Fila"
    again = settled(first.pk)
    assert again.status == StoryStatus.PUBLISHED, again.error
    time.sleep(1)
    assert len(page_stories(sandbox)) == 2
    assert again.facebook_post_id != first.facebook_post_id
    assert [p.facebook_post_id for p in again.publications.all()] == [first.facebook_post_id]


def test_a_patch_that_changes_nothing_about_publishing_posts_nothing_new(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)
    first = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    response = api.patch(stories_url(sandbox_dealer.organization.pk, first.pk), {"ad_id": 777}, format="json")

    assert response.status_code == 200
    time.sleep(1)
    assert len(page_stories(sandbox)) == 1
    assert "history" not in response.json()
    assert response.json()["facebook_post_id"] == first.facebook_post_id
