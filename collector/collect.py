"""What each collection job does to one profile. Tasks (collector.tasks) wrap these with the
per-profile lock, the rate governor, retries and the CollectionRun record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import redis
from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from collector import pages as page_jobs
from collector import pipeline
from collector.comment_polling import load_comments
from collector.models import (
    CommentSource,
    Media,
    MediaProductType,
    Platform,
    Profile,
)
from meta import instagram
from meta.client import GraphClient

# Age-decay insight refresh (issue 4): (bucket, youngest age, oldest age, refresh every).
BUCKETS: list[tuple[str, timedelta, timedelta | None, timedelta]] = [
    ("2d", timedelta(0), timedelta(days=2), timedelta(hours=1)),
    ("14d", timedelta(days=2), timedelta(days=14), timedelta(hours=6)),
    ("90d", timedelta(days=14), timedelta(days=90), timedelta(days=1)),
    ("older", timedelta(days=90), None, timedelta(days=7)),
]
CHUNK = 1000  # media transformed and loaded together: ten Graph pages
# The backfill's first media page (the newest 100, more than the comments page lists) brings up
# to this many top-level comments per media, with their replies; polling reads the rest.
BACKFILL_COMMENTS = 25
_redis: redis.Redis | None = None


def redis_client() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(settings.REDIS_URL)
    return _redis


@dataclass
class Job:
    profile: Profile
    client: GraphClient
    heartbeat: Callable[[], None] = lambda: None
    upserted: int = 0
    notes: dict[str, Any] = field(default_factory=dict)


def refresh_profile(job: Job) -> None:
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        page_jobs.refresh(job)  # its Instagram account, if linked, is a profile of its own
        return
    body = instagram.get_profile(job.client, profile.meta_id)
    profile.username = body.get("username", profile.username)
    profile.name = body.get("name", profile.name)
    profile.biography = body.get("biography", "")
    profile.website = body.get("website", "")
    profile.picture_url = body.get("profile_picture_url", profile.picture_url)
    profile.account_type = body.get("account_type", profile.account_type)
    profile.followers_count = body.get("followers_count")
    profile.follows_count = body.get("follows_count")
    profile.media_count = body.get("media_count")
    profile.raw = body
    save_profile(
        profile,
        ["username", "name", "biography", "website", "picture_url", "account_type", "followers_count",
         "follows_count", "media_count", "raw", "last_collected_at"],
    )  # fmt: skip


class ProfileGone(Exception):
    """The profile was deleted (disconnected with its data) while it was being collected."""


def save_profile(profile: Profile, fields: list[str]) -> None:
    """Write these fields with an UPDATE: unlike save(), it never brings a deleted profile back."""
    values = {name: getattr(profile, name) for name in fields}
    if not Profile.objects.filter(pk=profile.pk).update(**values, updated_at=timezone.now()):
        raise ProfileGone(profile.pk)


OnChunk = Callable[[dict[str, Any], list[str], pipeline.LoadResult], None]


def _walk(job: Job, pages: Iterable[dict[str, Any]], on_chunk: OnChunk) -> set[str]:
    """Load pages as they arrive, CHUNK media at a time (pandas and the upsert pay per call,
    not per row); answers the ids seen (for deletion detection). `on_chunk` gets the chunk's
    last page (its cursor), ids and load result. When Meta stops the walk (a rate limit), what
    was read is still loaded, so the retry resumes after it."""
    seen: set[str] = set()
    buffer: list[dict[str, Any]] = []
    last: dict[str, Any] = {}

    def flush() -> None:
        if not buffer:
            return
        result = pipeline.load(job.profile, pipeline.transform(buffer))
        ids = [str(item["id"]) for item in buffer]
        job.upserted += result.upserted
        seen.update(ids)
        on_chunk(last, ids, result)
        buffer.clear()
        job.heartbeat()

    try:
        for page in pages:
            buffer.extend(page.get("data") or [])
            last = page
            if len(buffer) >= CHUNK:
                flush()
    finally:
        flush()
    return seen


def _backfill_key(profile: Profile, what: str) -> str:
    return f"collector:backfill:{profile.pk}:{what}"


def backfill(job: Job) -> None:
    """Every media with its page-safe insights, resumable: after a pause or a killed worker it
    continues from the last chunk loaded (the cursor is on the Profile row, saved with the
    progress it stands for). Media Meta no longer lists are marked deleted at the end. The first
    backfill also stores the newest comments of the newest media (source=backfill), so the
    comments page lists threads at once. (Stories and the account history are their own tasks,
    queued after this one.)"""
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        page_jobs.backfill(job)
        return
    refresh_profile(job)
    store = redis_client()
    seen_key = _backfill_key(profile, "seen")
    after, comments, complete_seen = _start_backfill(profile, store, seen_key)
    threads: dict[str, list[dict[str, Any]]] = {}

    def on_chunk(page: dict[str, Any], ids: list[str], result: pipeline.LoadResult) -> None:
        _load_threads(job, threads)
        if ids:
            store.pipeline().sadd(seen_key, *ids).expire(seen_key, 7 * 86400).execute()
        # The cursor and the count it stands for in one UPDATE: a worker killed after it resumes
        # at this page and counts nothing twice.
        progress: dict[str, Any] = {"backfill_done": F("backfill_done") + result.seen}
        cursor = instagram.page_cursor(page)
        if cursor:
            progress["backfill_after"] = cursor
        Profile.objects.filter(pk=profile.pk).update(**progress)

    pages = instagram.media_pages(job.client, profile.meta_id, after=after, first_page_comments=comments)
    _walk(job, _without_threads(pages, threads), on_chunk)
    if complete_seen:
        _mark_deleted_outside(profile, store, seen_key)
    _finish_backfill(profile)
    store.delete(seen_key)


def _start_backfill(profile: Profile, store: redis.Redis, seen_key: str) -> tuple[str | None, int, bool]:
    """Where this backfill starts: (Meta's cursor or None, comments per media on the first page,
    whether the ids seen so far are all in Redis). A new backfill resets the progress."""
    after = profile.backfill_after or None
    # Comments ride on the first page of a profile's first backfill only: a resumed one has
    # loaded that page, and after a finished one polling keeps them current.
    comments = 0
    if after is None or profile.backfill_finished_at is not None or profile.backfill_started_at is None:
        comments = BACKFILL_COMMENTS if profile.backfill_finished_at is None else 0
        profile.backfill_started_at, profile.backfill_finished_at, profile.backfill_done = timezone.now(), None, 0
        store.delete(seen_key)
        after = None
    # The ids seen (for deletion detection) live in Redis; one that lost them while this backfill
    # was interrupted (a restart without persistence) cannot tell absent from unseen.
    complete_seen = after is None or bool(store.exists(seen_key))
    profile.backfill_total, profile.backfill_after = profile.media_count, after or ""
    save_profile(
        profile, ["backfill_started_at", "backfill_finished_at", "backfill_done", "backfill_total", "backfill_after"]
    )
    return after, comments, complete_seen


def _finish_backfill(profile: Profile) -> None:
    now = timezone.now()
    profile.refresh_from_db()
    profile.backfill_finished_at, profile.backfill_after = now, ""
    profile.backfill_done = max(profile.backfill_done, profile.backfill_total or 0)
    profile.media_cursor = _newest(profile)
    profile.insights_refreshed = {name: now.isoformat() for name, *_ in BUCKETS}
    profile.last_collected_at = now
    save_profile(
        profile,
        ["backfill_finished_at", "backfill_after", "backfill_done", "media_cursor", "insights_refreshed",
         "last_collected_at"],
    )  # fmt: skip


def _without_threads(
    pages: Iterable[dict[str, Any]], threads: dict[str, list[dict[str, Any]]]
) -> Iterable[dict[str, Any]]:
    """The pages with each media's expanded `comments` moved into `threads` (media id -> comments):
    the media rows keep only the media's own fields."""
    for page in pages:
        for item in page.get("data") or []:
            expanded = item.pop("comments", None)
            if expanded and expanded.get("data"):
                threads[str(item["id"])] = expanded["data"]
        yield page


def _load_threads(job: Job, threads: dict[str, list[dict[str, Any]]]) -> None:
    """Store the comments a media page carried (their media are loaded by now), as the backfill's:
    history that no webhook was due to deliver."""
    if not threads:
        return
    for media in Media.objects.filter(profile=job.profile, meta_id__in=list(threads)):
        job.upserted += load_comments(job.profile, media, threads.pop(media.meta_id), CommentSource.BACKFILL)
    threads.clear()


def _newest(profile: Profile) -> datetime | None:
    feed = Media.objects.filter(profile=profile, is_deleted=False).exclude(media_product_type=MediaProductType.STORY)
    return feed.aggregate(newest=Max("timestamp"))["newest"]


def _mark_deleted_outside(profile: Profile, store: redis.Redis, seen_key: str) -> None:
    """Meta lists only the 10,000 newest media: beyond that, absence proves nothing."""
    if (profile.media_count or 0) >= 10_000:
        return
    stored = list(
        Media.objects.filter(profile=profile, is_deleted=False)
        .exclude(media_product_type=MediaProductType.STORY)
        .values_list("meta_id", flat=True)
    )
    flags = store.smismember(seen_key, stored) if stored else []
    gone = [meta_id for meta_id, seen in zip(stored, flags, strict=True) if not seen]
    if gone:
        Media.objects.filter(profile=profile, meta_id__in=gone).update(is_deleted=True, updated_at=timezone.now())


def sync(job: Job) -> None:
    """New media since the cursor, then the insight windows whose age bucket is due."""
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        page_jobs.sync(job)
        return
    refresh_profile(job)
    since = profile.media_cursor
    _walk(job, instagram.media_pages(job.client, profile.meta_id, since=since), lambda *_: None)
    now = timezone.now()
    refreshed = dict(profile.insights_refreshed or {})
    for name, youngest, oldest, every in BUCKETS:
        last = refreshed.get(name)
        if last is not None and now - datetime.fromisoformat(last) < every:
            continue
        until = now - youngest
        start = now - oldest if oldest is not None else None
        window = Media.objects.filter(profile=profile, is_deleted=False, timestamp__lt=until).exclude(
            media_product_type=MediaProductType.STORY
        )
        if start is not None:
            window = window.filter(timestamp__gte=start)
        if window.exists():
            seen = _walk(
                job, instagram.media_pages(job.client, profile.meta_id, since=start, until=until), lambda *_: None
            )
            window.exclude(meta_id__in=seen).update(is_deleted=True, updated_at=now)
        refreshed[name] = now.isoformat()
    profile.media_cursor = _newest(profile) or since
    profile.insights_refreshed = refreshed
    profile.last_collected_at = now
    save_profile(profile, ["media_cursor", "insights_refreshed", "last_collected_at"])
