"""What each collection job does to a Facebook Page (collect.py hands its Page branches here).

A Page's posts are stored as Media (product type FEED), so the engagement machinery, daily
aggregates, exports and reports read them like Instagram posts: reactions stand in for likes,
`post_media_view` for views and `post_total_media_view_unique` for reach (Meta's own
replacements for the retired impressions metrics). The Page's daily insights become one
ProfileSnapshot per day: views, reach, post engagements (as interactions), follows, unfollows
and the follower count at the end of the day. A Page has no "accounts engaged" metric any more.

What Meta will not give without a permission (read_insights) is recorded on
`Profile.unavailable` ({part: permission}) so the pages say so instead of "Up to date"; the rest
is still collected.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from collector import collect, pipeline
from collector.models import Media, Profile, ProfileSnapshot
from meta import facebook
from meta.errors import PermissionMissing

RECENT = timedelta(days=14)  # a sync re-reads these posts: their numbers still move
HISTORY_DAYS = 90  # Page insights read on connect (one call; Meta keeps two years)
SNAPSHOT_DAYS = 3  # a daily snapshot re-reads these days: Meta finalises them late
POST_INSIGHTS, PAGE_INSIGHTS = "post_insights", "page_insights"
INSIGHTS_PERMISSION = "read_insights"


def refresh(job: collect.Job) -> None:
    profile = job.profile
    page = facebook.get_page(job.client, profile.meta_id)
    profile.name = page.name or profile.name
    profile.username = page.username
    profile.biography = page.about
    profile.website = page.website
    profile.account_type = page.category
    profile.followers_count = page.followers
    profile.picture_url = page.picture_url or profile.picture_url
    profile.media_count = Media.objects.filter(profile=profile, is_deleted=False).count()
    profile.raw = page.raw
    collect.save_profile(
        profile,
        ["name", "username", "biography", "website", "account_type", "followers_count", "picture_url",
         "media_count", "raw"],
    )  # fmt: skip


def _item(post: facebook.PagePost) -> dict[str, Any]:
    """A Page post in the shape pipeline.transform reads (an Instagram media's)."""
    readings = {"shares": post.shares}
    if post.views is not None or post.reach is not None:
        interactions = (post.reactions or 0) + (post.comments or 0) + post.shares
        readings |= {"views": post.views, "reach": post.reach, "total_interactions": interactions}
    return {
        "id": post.id,
        "caption": post.message,
        "media_type": post.media_type,
        "media_product_type": "FEED",
        "permalink": post.permalink,
        "media_url": post.picture_url,
        "timestamp": post.created_time,
        "like_count": post.reactions,
        "comments_count": post.comments,
        "facebook": post.raw,
        "insights": {"data": [{"name": k, "values": [{"value": v}]} for k, v in readings.items() if v is not None]},
    }


def _load_posts(job: collect.Job, since: Any = None, on_page: Any = None) -> set[str]:
    """Every post (since `since`) loaded page by page; answers the ids seen."""
    seen: set[str] = set()
    insights = True
    for page in facebook.post_pages(job.client, job.profile.meta_id, since=since):
        insights = insights and page.insights
        result = pipeline.load(job.profile, pipeline.transform([_item(post) for post in page.posts]))
        job.upserted += result.upserted
        seen.update(post.id for post in page.posts)
        if on_page is not None:
            on_page(result)
        job.heartbeat()
    _mark(job.profile, POST_INSIGHTS, available=insights)
    return seen


def _mark(profile: Profile, part: str, *, available: bool) -> None:
    missing = dict(profile.unavailable or {})
    if available:
        missing.pop(part, None)
    else:
        missing[part] = INSIGHTS_PERMISSION
    if missing != (profile.unavailable or {}):
        profile.unavailable = missing
        collect.save_profile(profile, ["unavailable"])


def _store_days(job: collect.Job, first: date, last: date) -> None:
    """The Page's daily insights as snapshots, one row per day; a missing read_insights is noted."""
    profile = job.profile
    try:
        days = facebook.page_insights(job.client, profile.meta_id, first, last)
    except PermissionMissing:
        _mark(profile, PAGE_INSIGHTS, available=False)
        return
    _mark(profile, PAGE_INSIGHTS, available=True)
    for day in days:
        values = {
            "views": day.views,
            "reach": day.reach,
            "total_interactions": day.engagements,
            "follows": day.follows,
            "unfollows": day.unfollows,
        }
        if day.followers is not None:
            values["followers_count"] = day.followers
        ProfileSnapshot.objects.update_or_create(profile=profile, date=day.day, defaults=values)
        job.upserted += 1


def _today(job: collect.Job) -> None:
    """Today's counters (today's insights come once the day is over)."""
    profile = job.profile
    ProfileSnapshot.objects.update_or_create(
        profile=profile,
        date=timezone.now().date(),
        defaults={"followers_count": profile.followers_count, "media_count": profile.media_count},
    )
    job.upserted += 1


def backfill(job: collect.Job) -> None:
    """Every post with its insights, then 90 days of Page insights; posts Meta no longer lists
    are marked deleted (a Page's whole list is read, so absence means deletion)."""
    profile = job.profile
    refresh(job)
    profile.backfill_started_at, profile.backfill_finished_at, profile.backfill_done = timezone.now(), None, 0
    profile.backfill_total = None  # Meta gives no post count for a Page: the banner says "counting"
    collect.save_profile(profile, ["backfill_started_at", "backfill_finished_at", "backfill_done", "backfill_total"])

    def progress(result: pipeline.LoadResult) -> None:
        Profile.objects.filter(pk=profile.pk).update(backfill_done=F("backfill_done") + result.seen)

    seen = _load_posts(job, on_page=progress)
    Media.objects.filter(profile=profile, is_deleted=False).exclude(meta_id__in=seen).update(
        is_deleted=True, updated_at=timezone.now()
    )
    yesterday = timezone.now().date() - timedelta(days=1)
    _store_days(job, yesterday - timedelta(days=HISTORY_DAYS - 1), yesterday)
    _finish(job, backfill=True)


def sync(job: collect.Job) -> None:
    """New posts and the last two weeks' numbers, and the Page insights of the last days."""
    refresh(job)
    cursor = job.profile.media_cursor
    since = timezone.now() - RECENT
    _load_posts(job, since=min(cursor, since) if cursor else since)
    yesterday = timezone.now().date() - timedelta(days=1)
    _store_days(job, yesterday - timedelta(days=SNAPSHOT_DAYS - 1), yesterday)
    _finish(job)


def snapshot(job: collect.Job) -> None:
    refresh(job)
    yesterday = timezone.now().date() - timedelta(days=1)
    _store_days(job, yesterday - timedelta(days=SNAPSHOT_DAYS - 1), yesterday)
    _today(job)


def _finish(job: collect.Job, *, backfill: bool = False) -> None:
    profile = job.profile
    profile.refresh_from_db()
    now = timezone.now()
    profile.media_count = Media.objects.filter(profile=profile, is_deleted=False).count()
    profile.media_cursor = collect._newest(profile)
    profile.last_collected_at = now
    fields = ["media_count", "media_cursor", "last_collected_at"]
    if backfill:
        profile.backfill_finished_at, profile.backfill_total = now, profile.media_count
        profile.backfill_done = profile.media_count
        fields += ["backfill_finished_at", "backfill_total", "backfill_done"]
    collect.save_profile(profile, fields)
    _today(job)
