"""Publishing a claimed Story to Meta, one resumable step at a time.

Every Meta id a step returns is stored before the next step runs, and `publish_requested_at`
is stored just before the final (non-idempotent) call. A run that finds it set looks the story
up on Meta first, so a crash or a duplicate task never publishes the same story twice.
"""

from __future__ import annotations

import time
from dataclasses import replace

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from meta import publishing as graph
from meta.client import GraphClient
from meta.conf import MetaConfig
from meta.errors import ContainerNotReady, MetaError, PublishLimitReached
from publishing import assets
from publishing.models import AssetType, Channel, Story

CONTAINER_POLLS = 10
CONTAINER_POLL_SECONDS = 0.5


class PublishingError(Exception):
    """A problem on our side that retrying will not fix; the message is shown in `error`."""


def publish(story: Story) -> None:
    if not story.asset:
        raise PublishingError("The story has no asset to publish.")
    credential = story.page_credential()
    if credential is None or not credential.is_usable:
        raise PublishingError(f"Page {story.page_id} has no usable Page token: reconnect it.")
    # No client-level retries: a retried publish call could post twice. The task retries
    # instead, and resumes from the stored step.
    if story.asset_type == AssetType.VIDEO and not story.facebook_post_id:
        check_video(story)
    client = credential.graph_client(config=replace(MetaConfig.from_settings(), retries=0))
    if story.facebook_post_id:  # published by an earlier run that died before saying so
        story.mark_published(story.facebook_post_id, story.story_url)
    elif story.channel == Channel.INSTAGRAM:
        _publish_instagram(client, story)
    elif story.asset_type == AssetType.VIDEO:
        _publish_page_video(client, story)
    else:
        _publish_page_photo(client, story)


def check_video(story: Story) -> None:
    """Meta's story video rules, read from the MP4's boxes; the error in the contract's Portuguese."""
    try:
        with translation.override("pt-br"), default_storage.open(story.asset.name, "rb") as handle:
            assets.check_story_video(handle, story.asset.size, story.channel)
    except FileNotFoundError as exc:
        raise PublishingError("The story's asset file is missing from storage.") from exc
    except assets.AssetRejected as exc:
        raise PublishingError(str(exc)) from exc


def _asset_bytes(story: Story) -> bytes:
    try:
        with default_storage.open(story.asset.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise PublishingError("The story's asset file is missing from storage.") from exc


def _already_on_page(client: GraphClient, story: Story) -> bool:
    """After an interrupted final call: adopt the story if Meta has it, so it is not posted again."""
    if story.publish_requested_at is None or not story.asset_id:
        return False
    found = graph.find_page_story(client, story.page_id, media_id=story.asset_id)
    if found is None:
        return False
    story.mark_published(str(found.get("post_id")), found.get("url"))
    return True


def _finish_page_story(client: GraphClient, story: Story, post_id: str) -> None:
    found = graph.find_page_story(client, story.page_id, post_id=post_id)
    url = (found or {}).get("url") or graph.page_story_url(client, post_id)
    story.mark_published(post_id, url)


def _publish_page_photo(client: GraphClient, story: Story) -> None:
    if not story.asset_id:
        photo_id = graph.upload_unpublished_photo(
            client, story.page_id, content=_asset_bytes(story), filename=story.asset.name.rsplit("/", 1)[-1]
        )
        story.save_progress(asset_id=photo_id)
    if _already_on_page(client, story):
        return
    story.save_progress(publish_requested_at=timezone.now())
    _finish_page_story(client, story, graph.publish_photo_story(client, story.page_id, story.asset_id))


def _publish_page_video(client: GraphClient, story: Story) -> None:
    if _already_on_page(client, story):
        return
    content = _asset_bytes(story)
    if story.asset_id:
        upload_url = graph.video_upload_url(client, story.asset_id)
        offset = graph.video_bytes_transferred(client, story.asset_id)
    else:
        video_id, upload_url = graph.start_video_story(client, story.page_id)
        story.save_progress(asset_id=video_id)
        offset = 0
    if offset < len(content):
        graph.upload_video(client, upload_url, content, offset)
    story.save_progress(publish_requested_at=timezone.now())
    _finish_page_story(client, story, graph.finish_video_story(client, story.page_id, story.asset_id))


def _publish_instagram(client: GraphClient, story: Story) -> None:
    ig_user_id = graph.linked_instagram_account(client, story.page_id)
    if ig_user_id is None:
        raise PublishingError(f"Page {story.page_id} has no linked Instagram professional account.")
    if story.asset_id and story.publish_requested_at is not None:
        status_code, _reason = graph.container_status(client, story.asset_id)
        if status_code == graph.CONTAINER_PUBLISHED:  # the last run's media_publish went through
            story.mark_published(story.facebook_post_id, story.story_url)
            return
    if not story.asset_id:
        used, total = graph.publishing_quota(client, ig_user_id)
        if total and used >= total:
            raise PublishLimitReached(f"Instagram publishing limit reached ({used} of {total} in 24 h).")
        container_id = graph.create_story_container(
            client, ig_user_id, story.asset_url(settings.SITE_URL), is_video=story.asset_type == AssetType.VIDEO
        )
        story.save_progress(asset_id=container_id)
    _wait_for_container(client, story)
    story.save_progress(publish_requested_at=timezone.now())
    media_id = graph.publish_container(client, ig_user_id, story.asset_id)
    story.mark_published(media_id, graph.media_permalink(client, media_id))


def _wait_for_container(client: GraphClient, story: Story) -> None:
    for attempt in range(CONTAINER_POLLS):
        status_code, reason = graph.container_status(client, story.asset_id)
        if status_code == graph.CONTAINER_FINISHED:
            return
        if status_code in graph.CONTAINER_FAILED:
            story.save_progress(asset_id="", publish_requested_at=None)  # a new container next time
            raise MetaError(f"Instagram could not process the media ({status_code}: {reason or 'no reason given'}).")
        if attempt + 1 < CONTAINER_POLLS:
            time.sleep(CONTAINER_POLL_SECONDS)
    raise ContainerNotReady("The Instagram container is still processing.")
