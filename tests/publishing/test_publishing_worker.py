"""Queued stories reach the sandbox's Page (and its Instagram account) through a real Celery worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from accounts.models import CredentialStatus
from publishing.models import AssetType, Story, StoryStatus
from publishing.tasks import publish_story
from tests.publishing.conftest import JPEG, JPEG_B64, MP4_B64, Dealer, stories_url
from tests.waiting import wait_for

pytestmark = pytest.mark.usefixtures("celery_worker", "transactional_db")


def settled(story_id: int, timeout: float = 5.0) -> Story:
    """The story once the worker is done with it (no longer queued), within `timeout` seconds."""
    still_queued = f"story {story_id} out of the queue"
    return wait_for(
        lambda: Story.objects.exclude(status=StoryStatus.QUEUED).filter(pk=story_id).first(), timeout, still_queued,
        every=0.1,
    )


def queue(api: APIClient, dealer: Dealer, base64: str, asset_type: int, channel: str = "facebook") -> int:
    response = api.post(
        stories_url(dealer.organization.pk, channel=channel),
        {"asset_type": asset_type, "page_id": dealer.page_id, "asset_base64": base64},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == 1
    return response.json()["id"]


def stored_story(dealer: Dealer) -> Story:
    """A queued photo story written straight to the database: nothing queues it yet."""
    story = Story(organization=dealer.organization, asset_type=AssetType.IMAGE, page_id=dealer.page_id)
    story.asset.save("story.jpg", ContentFile(JPEG), save=False)
    story.save()
    return story


def page_stories(sandbox: Any) -> list[dict[str, Any]]:
    return sandbox.published()["page_stories"]


def page_token(dealer: Dealer) -> str:
    return dealer.organization.credentials.get(subject_id=dealer.page_id).token


def test_a_queued_photo_story_is_on_the_page_within_five_seconds(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)

    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    assert story.status == StoryStatus.PUBLISHED and story.error is None
    [on_page] = page_stories(sandbox)
    assert on_page["media_type"] == "photo"
    assert on_page["post_id"] == story.facebook_post_id
    assert story.story_url == on_page["url"]
    body = api.get(stories_url(sandbox_dealer.organization.pk, story.pk)).json()
    assert body["status_display"] == "Publicado" and body["facebook_publish_status"] == 2
    assert body["story_url"] == on_page["url"] and body["published_at"].endswith("Z")


def test_a_queued_video_story_is_uploaded_and_on_the_page_within_five_seconds(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)

    story = settled(queue(api, sandbox_dealer, MP4_B64, AssetType.VIDEO))

    assert story.status == StoryStatus.PUBLISHED, story.error
    [on_page] = page_stories(sandbox)
    assert on_page["media_type"] == "video" and on_page["media_id"] == story.asset_id
    assert story.story_url == on_page["url"]
    calls = sandbox.calls()["by_endpoint"]
    assert any(endpoint.startswith("POST rupload.facebook.com") for endpoint in calls), calls


def test_a_revoked_page_token_ends_in_error_status_with_metas_message(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    sandbox.fail(token=page_token(sandbox_dealer), mode="revoked")
    api = api_as(sandbox_dealer.owner)

    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    assert story.status == StoryStatus.ERROR and story.facebook_publish_status == StoryStatus.ERROR
    assert "Error validating access token" in story.error and "Reconnect the Page" in story.error
    assert page_stories(sandbox) == []
    body = api.get(stories_url(sandbox_dealer.organization.pk, story.pk)).json()
    assert body["status_display"] == "Erro" and body["error"] == story.error
    credential = sandbox_dealer.organization.credentials.get(subject_id=sandbox_dealer.page_id)
    assert credential.status == CredentialStatus.NEEDS_RECONNECT


def test_a_transient_failure_is_retried_and_published_once(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    sandbox.fail(token=page_token(sandbox_dealer), mode="transient", times=1)
    api = api_as(sandbox_dealer.owner)

    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))

    assert story.status == StoryStatus.PUBLISHED, story.error
    assert len(page_stories(sandbox)) == 1
    calls = sandbox.calls()["by_endpoint"]
    photo_uploads = sum(n for endpoint, n in calls.items() if endpoint.startswith("POST") and "/photos" in endpoint)
    assert photo_uploads == 2, calls  # the failed try and the retry


def test_a_story_queued_twice_is_published_once(sandbox: Any, sandbox_dealer: Dealer) -> None:
    story = stored_story(sandbox_dealer)

    runs = [publish_story.delay(story.pk), publish_story.delay(story.pk)]
    # Each run's own answer, not a pause: both have finished, whatever the machine's speed.
    outcomes = sorted(run.get(timeout=60) for run in runs)
    late = publish_story.delay(story.pk).get(timeout=60)  # a late duplicate after publishing

    assert outcomes == ["not queued or already being published", "published"]
    assert late == "not queued or already being published"
    assert Story.objects.get(pk=story.pk).status == StoryStatus.PUBLISHED
    assert len(page_stories(sandbox)) == 1


def test_an_interrupted_run_resumes_without_publishing_again(sandbox: Any, sandbox_dealer: Dealer) -> None:
    """A run that died after Meta published but before saving the post id is adopted, not re-posted."""
    story = stored_story(sandbox_dealer)
    publish_story.delay(story.pk)
    published = settled(story.pk)
    # Rewind to the moment between the final call and saving its answer.
    Story.objects.filter(pk=story.pk).update(status=StoryStatus.QUEUED, facebook_post_id=None, story_url=None)

    publish_story.delay(story.pk)

    resumed = settled(story.pk)
    assert resumed.status == StoryStatus.PUBLISHED
    assert resumed.facebook_post_id == published.facebook_post_id
    assert len(page_stories(sandbox)) == 1


def test_an_instagram_story_goes_through_a_container_to_the_linked_account(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)

    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE, channel="instagram"))

    assert story.status == StoryStatus.PUBLISHED, story.error
    published = sandbox.published()
    [media] = published["ig_media"]
    assert media["media_product_type"] == "STORY" and media["id"] == story.facebook_post_id
    assert published["page_stories"] == []
    assert story.story_url
    calls = sandbox.calls()["by_endpoint"]
    assert any("content_publishing_limit" in endpoint for endpoint in calls), calls
