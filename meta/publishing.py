"""Publishing calls: Facebook Page stories and Instagram story containers (reference §11).

Plain functions over a GraphClient with the Page token. Each returns the Meta id the next
step needs, so the caller can store it and resume after a crash instead of repeating a step.
"""

from __future__ import annotations

from typing import Any

from meta.client import GraphClient
from meta.conf import FACEBOOK_WWW, RUPLOAD
from meta.errors import MetaError

# -- Facebook Page stories -----------------------------------------------------------------


def upload_unpublished_photo(
    client: GraphClient, page_id: str, *, content: bytes | None = None, filename: str = "story.jpg", url: str = ""
) -> str:
    """Step 1 of a photo story: an unpublished Page photo, sent as bytes or fetched by Meta from `url`."""
    if url:
        body = client.post(f"{page_id}/photos", data={"url": url, "published": "false"})
    else:
        body = client.post(
            f"{page_id}/photos", data={"published": "false"}, files={"source": (filename, content or b"")}
        )
    return str(body["id"])


def publish_photo_story(client: GraphClient, page_id: str, photo_id: str) -> str:
    body = client.post(f"{page_id}/photo_stories", data={"photo_id": photo_id})
    return str(body["post_id"])


def start_video_story(client: GraphClient, page_id: str) -> tuple[str, str]:
    """Returns (video_id, upload_url)."""
    body = client.post(f"{page_id}/video_stories", data={"upload_phase": "start"})
    return str(body["video_id"]), str(body["upload_url"])


def video_upload_url(client: GraphClient, video_id: str) -> str:
    """The rupload URL Meta hands out at start, rebuilt when resuming from a stored video id."""
    return client.config.url(RUPLOAD, f"/video-upload/{client.config.graph_version}/{video_id}")


def upload_video(client: GraphClient, upload_url: str, content: bytes, offset: int = 0) -> None:
    """The file from `offset` on, in one request; rupload wants `Authorization: OAuth`, not Bearer."""
    body = client.request(
        "POST",
        upload_url,
        data=content[offset:],
        headers={
            "offset": str(offset),
            "file_size": str(len(content)),
            "Content-Type": "application/octet-stream",
        },
        authorization="OAuth",
    )
    if not (isinstance(body, dict) and body.get("success")):
        raise MetaError(f"Video upload was not accepted: {body!r}")


def video_bytes_transferred(client: GraphClient, video_id: str) -> int:
    """How much of an interrupted upload Meta already has: resume from there."""
    body = client.get(video_id, {"fields": "status"})
    phase = ((body or {}).get("status") or {}).get("uploading_phase") or {}
    return int(phase.get("bytes_transfered") or 0)


def finish_video_story(client: GraphClient, page_id: str, video_id: str) -> str:
    body = client.post(f"{page_id}/video_stories", data={"upload_phase": "finish", "video_id": video_id})
    return str(body["post_id"])


def find_page_story(
    client: GraphClient, page_id: str, *, post_id: str = "", media_id: str = ""
) -> dict[str, Any] | None:
    """A story on the Page's story list by its post id or media id (to resume or to read its URL)."""
    for page in client.paginate(f"{page_id}/stories"):
        for story in page.get("data", []):
            if (post_id and str(story.get("post_id")) == post_id) or (
                media_id and str(story.get("media_id")) == media_id
            ):
                return story
    return None


def page_story_url(client: GraphClient, post_id: str) -> str:
    """The story's address on Facebook, for when the Page's story list does not give its `url`."""
    return client.config.url(FACEBOOK_WWW, f"/stories/{post_id}")


# -- Instagram stories ---------------------------------------------------------------------

CONTAINER_FINISHED = "FINISHED"
CONTAINER_PUBLISHED = "PUBLISHED"
CONTAINER_FAILED = frozenset({"ERROR", "EXPIRED"})


def linked_instagram_account(client: GraphClient, page_id: str) -> str | None:
    body = client.get(page_id, {"fields": "instagram_business_account"})
    account = body.get("instagram_business_account") if isinstance(body, dict) else None
    return str(account["id"]) if account else None


def publishing_quota(client: GraphClient, ig_user_id: str) -> tuple[int, int]:
    """(used, total) of the rolling 24 h publishing limit."""
    body = client.get(f"{ig_user_id}/content_publishing_limit", {"fields": "quota_usage,config"})
    entry = (body.get("data") or [{}])[0]
    return int(entry.get("quota_usage") or 0), int((entry.get("config") or {}).get("quota_total") or 0)


def create_story_container(client: GraphClient, ig_user_id: str, media_url: str, *, is_video: bool) -> str:
    key = "video_url" if is_video else "image_url"
    body = client.post(f"{ig_user_id}/media", data={"media_type": "STORIES", key: media_url})
    return str(body["id"])


def container_status(client: GraphClient, container_id: str) -> tuple[str, str]:
    """(status_code, status): the second carries Meta's reason when the code is ERROR."""
    body = client.get(container_id, {"fields": "status_code,status"})
    return str(body.get("status_code") or ""), str(body.get("status") or "")


def publish_container(client: GraphClient, ig_user_id: str, container_id: str) -> str:
    body = client.post(f"{ig_user_id}/media_publish", data={"creation_id": container_id})
    return str(body["id"])


def media_permalink(client: GraphClient, media_id: str) -> str | None:
    body = client.get(media_id, {"fields": "permalink"})
    return body.get("permalink") if isinstance(body, dict) else None


# -- Story insights --------------------------------------------------------------------------

# Page stories are Page posts: their counts come from Page Post Insights (reference: Graph API
# "Page Post Insights", GET /{page-post-id}/insights). Meta documents no replies or navigation
# for Page stories; those exist for Instagram stories only.
PAGE_STORY_METRICS = {"reach": "post_impressions_unique", "views": "post_media_view"}
INSTAGRAM_STORY_METRICS = ("reach", "views", "replies", "shares", "total_interactions", "follows", "profile_visits")
NAVIGATION_BREAKDOWN = "story_navigation_action_type"


def page_story_insights(client: GraphClient, post_id: str) -> list[dict[str, Any]]:
    body = client.get(f"{post_id}/insights", {"metric": ",".join(PAGE_STORY_METRICS.values())})
    return list(body.get("data") or [])


def instagram_story_insights(client: GraphClient, media_id: str) -> list[dict[str, Any]]:
    """The story's lifetime counts, then `navigation` with its breakdown (taps forward, back, exits)."""
    counts = client.get(f"{media_id}/insights", {"metric": ",".join(INSTAGRAM_STORY_METRICS)})
    navigation = client.get(f"{media_id}/insights", {"metric": "navigation", "breakdown": NAVIGATION_BREAKDOWN})
    return [*(counts.get("data") or []), *(navigation.get("data") or [])]
