"""What Meta lets us keep of a story, and for how long (reference §4 and §5.1, docs/sandbox.md "Stories").

- A story is listed by `/{ig-user-id}/stories` for 24 h; after that its node and its insights
  answer code 100/33 (the object is gone for the API), so a last reading must be taken before.
- Its `media_url` is a signed CDN URL: past its `oe` the CDN answers 403 "URL signature expired".
  While the story lives, reading the node again gives a freshly signed URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meta import metrics
from meta.client import GraphClient, session
from meta.errors import MetaError

DOWNLOAD_TIMEOUT = (5, 60)
BLOCK = 64 * 1024


def story_insights(client: GraphClient, story_id: str) -> dict[str, Any]:
    """One story's lifetime insights (`NotEnoughViewers` under 5 viewers, `ObjectMissing` once expired)."""
    return client.get(f"{story_id}/insights", {"metric": metrics.checked(metrics.STORY)})


def fresh_media_url(client: GraphClient, story_id: str) -> str:
    """A newly signed media URL of a live story ('' when Meta gives none, e.g. copyrighted audio)."""
    body = client.get(story_id, {"fields": "id,media_type,media_url,thumbnail_url"})
    return str(body.get("media_url") or "")


class UrlExpired(MetaError):
    """The CDN refused the URL: its signature expired (403)."""


class TooLarge(Exception):
    """The file is bigger than the room left for it; nothing was kept."""


@dataclass(frozen=True)
class Downloaded:
    size: int
    content_type: str


def download(url: str, dest: Path, max_bytes: int) -> Downloaded:
    """Stream the CDN file into `dest`, refusing more than `max_bytes` (the partial file is removed)."""
    response = session().get(url, stream=True, timeout=DOWNLOAD_TIMEOUT)
    with response:
        if response.status_code == 403:
            raise UrlExpired(response.text[:200] or "URL signature expired", http_status=403)
        if response.status_code >= 400:
            raise MetaError(f"CDN answered HTTP {response.status_code}", http_status=response.status_code)
        declared = int(response.headers.get("Content-Length") or 0)
        if declared > max_bytes:
            raise TooLarge(declared)
        size = 0
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with dest.open("wb") as out:
                for block in response.iter_content(BLOCK):
                    size += len(block)
                    if size > max_bytes:
                        raise TooLarge(size)
                    out.write(block)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
        return Downloaded(size, response.headers.get("Content-Type", "").split(";")[0])
