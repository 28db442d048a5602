"""What each collection job does to one profile. Tasks (collector.tasks) wrap these with the
per-profile lock, the rate governor, retries and the CollectionRun record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from collector import pages as page_jobs
from collector import pipeline
from collector.models import (
    FOLLOWER_PRIVACY_FLOOR,
    Comment,
    CommentSource,
    Media,
    MediaInsight,
    MediaProductType,
    Platform,
    Profile,
    ProfileSnapshot,
)
from meta import instagram, metrics
from meta.client import GraphClient
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError

# Age-decay insight refresh (issue 4): (bucket, youngest age, oldest age, refresh every).
BUCKETS: list[tuple[str, timedelta, timedelta | None, timedelta]] = [
    ("2d", timedelta(0), timedelta(days=2), timedelta(hours=1)),
    ("14d", timedelta(days=2), timedelta(days=14), timedelta(hours=6)),
    ("90d", timedelta(days=14), timedelta(days=90), timedelta(days=1)),
    ("older", timedelta(days=90), None, timedelta(days=7)),
]
DEEP_PER_RUN = 50
CHUNK = 1000  # media transformed and loaded together: ten Graph pages
COMMENT_MEDIA_PER_RUN = 20
RECENT_COMMENTS = timedelta(days=14)
# The backfill's first media page (the newest 100, more than the comments page lists) brings up
# to this many top-level comments per media, with their replies; polling reads the rest.
BACKFILL_COMMENTS = 25
# Day one's account history: today's snapshot and the days before it that Meta's follower_count
# still covers (the last 30 days, today excluded), so the growth chart and the account insights
# of a 7- or 30-day period have numbers right after connecting.
HISTORY_DAYS = metrics.ACCOUNT_NEW_FOLLOWERS_DAYS
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
    store.delete(seen_key)


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


def collect_stories(job: Job) -> None:
    """Live stories and their insights, read hourly so nothing is lost at the 24 h expiry."""
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        return
    items = instagram.stories(job.client, profile.meta_id)
    job.upserted += pipeline.load(profile, pipeline.transform(items)).upserted
    job.notes["stories"] = len(items)


def deep_insights(job: Job, limit: int = DEEP_PER_RUN) -> None:
    """The metrics only one product type has, for the media that need them most: never read
    first (newest first), then those whose age bucket says they are stale."""
    profile = job.profile
    now = timezone.now()
    candidates = Media.objects.filter(
        profile=profile,
        is_deleted=False,
        insights_unavailable="",  # Meta has none to give (posted before the business conversion)
        media_product_type__in=[MediaProductType.FEED, MediaProductType.REELS],
    )
    stale = Q(deep_insights_at__isnull=True)
    for _name, youngest, oldest, every in BUCKETS:
        age = Q(timestamp__lte=now - youngest) & (Q(timestamp__gt=now - oldest) if oldest else Q())
        stale |= age & Q(deep_insights_at__lt=now - every)
    chosen = list(
        candidates.filter(stale)
        .order_by(F("deep_insights_at").asc(nulls_first=True), "-timestamp")
        .only("pk", "meta_id", "media_product_type", *pipeline.DENORMALISED)[:limit]
    )
    if not chosen:
        return
    results = instagram.media_insights(job.client, [(m.meta_id, m.media_product_type) for m in chosen])
    captures = []
    for media in chosen:
        body = results.get(media.meta_id)
        if body is None:
            continue  # Meta did not finish this operation: it stays first in line
        values = {} if isinstance(body, MetaError) else pipeline.metric_values(body)
        values.pop("navigation_breakdown", None)
        copied = {name: getattr(media, name) for name in pipeline.DENORMALISED}
        raw = {"error": str(body)} if isinstance(body, MetaError) else body
        captures.append(MediaInsight(media=media, captured_at=now, raw=raw, **(copied | values)))
        media.deep_insights_at = now
    with transaction.atomic():
        MediaInsight.objects.bulk_create(captures, ignore_conflicts=True)
        Media.objects.bulk_update([m for m in chosen if m.deep_insights_at == now], ["deep_insights_at"])
    job.upserted += len(captures)


def _account_values(body: dict[str, Any]) -> dict[str, Any]:
    """Snapshot columns from Meta's total_value account insights (one window's totals)."""
    values: dict[str, Any] = {}
    for item in body.get("data") or []:
        total = item.get("total_value") or {}
        rows = instagram.breakdown_results(total)
        if item["name"] == metrics.ACCOUNT_FOLLOWS:
            split = {row.get("follow_type"): row["value"] for row in rows}
            values["follows"], values["unfollows"] = split.get("FOLLOWER"), split.get("NON_FOLLOWER")
        elif item["name"] == "reach" and rows:
            values["reach_breakdown"] = _reach_breakdown(rows)
        elif item["name"] in metrics.ACCOUNT_DAILY:
            values[item["name"]] = total.get("value")
    values["raw"] = {"data": body.get("data") or []}  # not `paging`: its URLs carry the token
    return values


def _reach_breakdown(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """{surface: {follow type: reach}} from the pairs of `breakdown=media_product_type,follow_type`."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        surface, follow_type = row.get("media_product_type"), row.get("follow_type")
        if surface and follow_type and isinstance(row["value"], int):
            out.setdefault(surface, {})[follow_type] = row["value"]
    return out


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def snapshot(job: Job) -> None:
    """Today's ProfileSnapshot (one row per profile and UTC date): the counters as read now and
    the account insights of the last complete UTC day. A closed day's totals do not move, so a
    second run the same day rewrites the row with the same facts."""
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        page_jobs.snapshot(job)
        return
    refresh_profile(job)
    today = timezone.now().date()
    values: dict[str, Any] = {
        "followers_count": profile.followers_count,
        "follows_count": profile.follows_count,
        "media_count": profile.media_count,
        "followers_estimated": False,
    }
    if profile.platform == Platform.INSTAGRAM:
        midnight = _midnight(today)
        values |= _account_values(
            instagram.account_insights(job.client, profile.meta_id, midnight - timedelta(days=1), midnight)
        )
    values["suppressed"] = _withheld(profile, values)
    ProfileSnapshot.objects.update_or_create(profile=profile, date=today, defaults=values)
    job.upserted += 1


def _withheld(profile: Profile, values: dict[str, Any]) -> dict[str, int]:
    """{column: 100} for the follower figures Meta left out because the account is under its
    privacy floor of 100 followers: null with that reason, not an unknown."""
    if not profile.below_follower_floor:
        return {}
    return {name: FOLLOWER_PRIVACY_FLOOR for name in ("follows", "unfollows") if values.get(name) is None}


def account_history(job: Job) -> None:
    """Day one's snapshots, queued after the first backfill: today's (snapshot()), then one row
    for each of the HISTORY_DAYS - 1 dates before it that has none, as the nightly snapshot would
    have written it: the account insights of the day before the row's date, and the followers at
    the start of the row's date.

    Those followers are worked back from Meta: today's followers_count minus the new followers of
    every day from the row's date to yesterday (Meta's `follower_count`, period=day, the last 30
    days only, today excluded). Two things Meta does not give stay out, and the rows say so
    (followers_estimated): the unfollows of those days (follower_count counts only new followers)
    and the followers gained so far today. Rows the nightly snapshot wrote are never replaced.
    """
    snapshot(job)
    profile = job.profile
    if profile.platform != Platform.INSTAGRAM:
        return
    today = timezone.now().date()
    dates = [today - timedelta(days=back) for back in range(1, HISTORY_DAYS)]
    held = set(ProfileSnapshot.objects.filter(profile=profile, date__in=dates).values_list("date", flat=True))
    missing = [day for day in dates if day not in held]
    if not missing:
        return
    series = instagram.new_followers(job.client, profile.meta_id, _midnight(dates[-1]), _midnight(today))
    gained = {_day_of(point["end_time"]): point.get("value") or 0 for point in series}
    followers = _followers_worked_back(profile.followers_count, gained, dates)
    windows = {day: (_midnight(day) - timedelta(days=1), _midnight(day)) for day in missing}
    totals = instagram.daily_account_totals(job.client, profile.meta_id, list(windows.values()))
    rows = [
        _history_row(profile, day, totals[window], gained, followers)
        for day, window in windows.items()
        if window in totals  # one Meta did not finish stays without a row, as before connecting
    ]
    ProfileSnapshot.objects.bulk_create(rows, ignore_conflicts=True)  # a nightly row written meanwhile wins
    job.upserted += len(rows)


def _history_row(
    profile: Profile,
    day: date,
    body: dict[str, Any] | MetaError,
    gained: dict[date, int],
    followers: dict[date, int],
) -> ProfileSnapshot:
    """The snapshot of a past `day`: the totals of the day before it, its worked-back followers."""
    if isinstance(body, (RateLimited, TransientError, TokenInvalid, PermissionMissing)):
        raise body  # run_job pauses, retries or asks for a reconnect; nothing half-done is kept
    values = _account_values(body) if isinstance(body, dict) else {"raw": {"error": str(body)}}
    previous = day - timedelta(days=1)
    values["follows"] = gained.get(previous)
    values["raw"]["new_followers"] = gained.get(previous)
    values["suppressed"] = _withheld(profile, values)
    return ProfileSnapshot(
        profile=profile, date=day, followers_count=followers.get(day), followers_estimated=day in followers, **values
    )


def _day_of(end_time: str) -> date:
    """The day a period=day value counts: Meta stamps it with the day's end (08:00 or 07:00 UTC,
    midnight in California), so the day is the one before."""
    return (datetime.strptime(end_time, pipeline.GRAPH_TIME) - timedelta(days=1)).date()


def _followers_worked_back(now: int | None, gained: dict[date, int], dates: list[date]) -> dict[date, int]:
    """{date: followers at its start} for `dates` (newest first, from yesterday): today's count
    minus the new followers of that date and every later one. Days after the newest Meta
    reported are still current at Meta (its day ends in California) and count as none gained,
    like today; a day missing before it ends the estimate, since every older date would be wrong."""
    if now is None or not gained:
        return {}
    newest = max(gained)
    followers, estimates = now, {}
    for day in dates:
        if day not in gained and day < newest:
            break
        followers = max(0, followers - gained.get(day, 0))
        estimates[day] = followers
    return estimates


def poll_comments(job: Job, limit: int = COMMENT_MEDIA_PER_RUN) -> None:
    """Comment polling, the safety net under comment webhooks.

    Every Instagram profile is polled: hourly, and every 15 minutes while it is flagged
    `webhooks_missing` (tasks.poll_comments_all picks them). A poll
    1. reads the comment counts of the media posted in the last RECENT_COMMENTS (one call per
       100 media) and stores the changed ones on Media;
    2. reads the comments of the media whose count on Meta exceeds what we hold (these recent
       ones, or older ones whose count a sync refreshed), newest first, `limit` media a run,
       and stores those never seen with source=poll (a comment a webhook delivered keeps its
       source). Media whose comments all came by webhook cost nothing beyond step 1.

    It does not set `Profile.webhooks_missing`: one place decides that flag,
    webhooks.arrival.check_webhooks_arriving (every 30 minutes), from this very evidence: comments
    a poll stored that were made on Meta after the profile was connected and were older than the
    webhook grace (minutes) when first seen, so webhooks should have delivered them and did not;
    the history a first poll loads never counts, nor do the comments the first backfill stored
    (source=backfill, not poll: history, whenever it was made). Step 1 is what lets a poll find them within the
    hour even when no sync touched their media.
    """
    profile = job.profile
    now = timezone.now()
    counts: dict[str, int] = {}
    for page in instagram.comment_counts(job.client, profile.meta_id, now - RECENT_COMMENTS):
        counts.update({str(m["id"]): m["comments_count"] for m in page.get("data") or [] if "comments_count" in m})
    stale = [
        media
        for media in Media.objects.filter(profile=profile, meta_id__in=counts).only("pk", "meta_id", "comments_count")
        if media.comments_count != counts[media.meta_id]
    ]
    for media in stale:
        media.comments_count = counts[media.meta_id]
    Media.objects.bulk_update(stale, ["comments_count"])
    lagging = (
        Media.objects.filter(profile=profile, is_deleted=False, comments_count__gt=0)
        .annotate(held=Count("comments", filter=Q(comments__is_deleted=False)))
        .filter(comments_count__gt=F("held"))
        .order_by("-timestamp")[:limit]
    )
    for media in lagging:
        for page in instagram.comment_pages(job.client, media.meta_id):
            job.upserted += load_comments(profile, media, page.get("data") or [])
            job.heartbeat()
        Media.objects.filter(pk=media.pk).update(comments_polled_at=now)


def load_comments(
    profile: Profile, media: Media, items: list[dict[str, Any]], source: CommentSource = CommentSource.POLL
) -> int:
    """Upsert comments and their replies (parents first, so replies can point at them)."""
    tops = [item for item in items if not item.get("parent_id")]
    replies = [
        {**reply, "parent_id": item["id"]} for item in items for reply in (item.get("replies") or {}).get("data", [])
    ]
    replies += [item for item in items if item.get("parent_id")]
    written = 0
    for batch in (tops, replies):
        if not batch:
            continue
        parents = dict(
            Comment.objects.filter(profile=profile, meta_id__in={c.get("parent_id") for c in batch}).values_list(
                "meta_id", "pk"
            )
        )
        rows = [
            Comment(
                profile=profile,
                media=media,
                parent_id=parents.get(c.get("parent_id")),
                meta_id=str(c["id"]),
                author_id=str((c.get("from") or {}).get("id", "")),
                username=c.get("username") or (c.get("from") or {}).get("username", ""),
                text=c.get("text") or "",
                timestamp=datetime.strptime(c["timestamp"], pipeline.GRAPH_TIME),
                like_count=c.get("like_count"),
                hidden=bool(c.get("hidden")),
                source=source,
                raw={k: v for k, v in c.items() if k != "replies"},
            )
            for c in batch
        ]
        Comment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["profile", "meta_id"],
            update_fields=["text", "like_count", "hidden", "parent", "raw", "updated_at"],
        )
        written += len(rows)
    return written
