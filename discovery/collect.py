"""Visiting a tracked account through Business Discovery, and reading the media we are tagged in.

A visit costs one call for the profile and its newest 25 media, and one more per further page
of new media (reading stops at the first media already stored). It is made with the token of
one of the organization's Instagram accounts connected through Facebook Login (the "caller"),
under that account's rate governor: Business Discovery counts against the caller's limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Credential, CredentialKind, Organization
from collector import collect, pipeline
from collector.models import CollectionRun, Platform, Profile, ProfileSnapshot, RunKind, RunOutcome
from discovery.models import TaggedMedia, TrackedAccount, TrackedStatus
from meta import discovery
from meta.errors import NotDiscoverable, PermissionMissing

FIRST_VISIT_PAGES = 4  # 100 media on the first visit: the compare page's 90 days of a campus
DAILY_PAGES = 8  # at most 200 new media a day; the next visit goes on from there
KNOWN_WINDOW = 200  # the newest stored media ids a visit compares with


def caller_for(organization: Organization) -> Profile | None:
    """The organization's Instagram account connected through Facebook Login, usable now."""
    usable = Credential.objects.usable().exclude(kind=CredentialKind.INSTAGRAM_USER)
    return (
        Profile.objects.filter(organization=organization, platform=Platform.INSTAGRAM, credential__in=usable)
        .select_related("credential")
        .order_by("pk")
        .first()
    )


def instagram_login_only(organization: Organization) -> bool:
    """Connected accounts, but none through Facebook Login: Business Discovery is out of reach."""
    profiles = Profile.objects.filter(organization=organization, credential__isnull=False)
    return profiles.exists() and not profiles.exclude(credential__kind=CredentialKind.INSTAGRAM_USER).exists()


def connected_profile(tracked: TrackedAccount) -> Profile | None:
    """The organization's connected profile this tracked account is (its own collection is richer)."""
    if tracked.profile is not None and tracked.profile.credential_id is not None:
        return tracked.profile
    return Profile.objects.filter(
        organization=tracked.organization, platform=Platform.INSTAGRAM, username__iexact=tracked.username,
        credential__isnull=False,
    ).first()  # fmt: skip


def mark(tracked: TrackedAccount, status: str, error: str = "", code: str = "", **fields: Any) -> None:
    values = {"status": status, "error": error, "error_code": code, "visited_at": timezone.now(), "graph_calls": 0}
    values |= fields
    TrackedAccount.objects.filter(pk=tracked.pk).update(**values)


def visit(tracked: TrackedAccount, caller: Profile, client: Any) -> None:
    """Read the account's public profile and new media and store them (errors raise, typed)."""
    profile = tracked.profile
    known: set[str] = set()
    if profile is not None:
        known = set(profile.media.order_by("-timestamp").values_list("meta_id", flat=True)[:KNOWN_WINDOW])
    try:
        pages = list(
            discovery.new_media_pages(
                client, caller.meta_id, tracked.username,
                is_known=lambda item: str(item.get("id")) in known,
                max_pages=DAILY_PAGES if known else FIRST_VISIT_PAGES,
            )
        )  # fmt: skip
    except NotDiscoverable as exc:
        refused(tracked, exc, client.calls)
        return
    store(tracked, pages, client.calls)


def refused(tracked: TrackedAccount, exc: NotDiscoverable, calls: int) -> None:
    """Meta will not show the account. Found before: renamed, made private or restricted since."""
    error = (exc.payload or {}).get("error", {}) if isinstance(exc.payload, dict) else {}
    message = str(error.get("error_user_msg") or exc.message)
    status = TrackedStatus.GONE if tracked.found_at else TrackedStatus.NOT_FOUND
    mark(tracked, status, message, f"{exc.code}/{exc.subcode}", graph_calls=calls)


@dataclass
class Stored:
    profile: Profile
    media: int


def store(tracked: TrackedAccount, pages: list[discovery.PublicPage], calls: int) -> Stored:
    facts = pages[0].profile or {}
    items = [item for page in pages for item in page.media]
    now = timezone.now()
    with transaction.atomic():
        profile = public_profile(tracked.organization, facts)
        ProfileSnapshot.objects.update_or_create(
            profile=profile, date=now.date(),
            defaults={name: facts.get(name) for name in ("followers_count", "follows_count", "media_count")},
        )  # fmt: skip
        loaded = pipeline.load(profile, pipeline.transform(items)) if items else None
        # The same account under an older username (renamed, then added again): one history.
        renamed = TrackedAccount.objects.filter(organization=tracked.organization, profile=profile).exclude(
            pk=tracked.pk
        )
        renamed.active().update(removed_at=now, error=f"@{profile.username}")
        mark(tracked, TrackedStatus.OK, profile=profile, found_at=now, graph_calls=calls)
    written = loaded.upserted if loaded else 0
    CollectionRun.objects.create(
        profile=profile, kind=RunKind.PUBLIC, finished_at=timezone.now(), graph_calls=calls,
        items_upserted=written, outcome=RunOutcome.OK,
    )  # fmt: skip
    return Stored(profile, len(items))


def public_profile(organization: Organization, facts: dict[str, Any]) -> Profile:
    """The organization's Profile of this Instagram id (created without a credential), updated."""
    values = {
        "username": str(facts.get("username") or ""),
        "name": str(facts.get("name") or ""),
        "biography": str(facts.get("biography") or ""),
        "website": str(facts.get("website") or "")[:500],
        "picture_url": str(facts.get("profile_picture_url") or "")[:1000],
        "followers_count": facts.get("followers_count"),
        "follows_count": facts.get("follows_count"),
        "media_count": facts.get("media_count"),
        "last_collected_at": timezone.now(),
    }
    key = {"organization": organization, "platform": Platform.INSTAGRAM, "meta_id": str(facts["id"])}
    try:
        with transaction.atomic():
            profile, _created = Profile.objects.get_or_create(**key, defaults=values)
    except IntegrityError:  # connected meanwhile by the connect receiver
        profile = Profile.objects.get(**key)
    Profile.objects.filter(pk=profile.pk).update(**values)
    profile.refresh_from_db()
    return profile


def collect_tags(job: collect.Job) -> None:
    """New media others tagged the profile in, since the newest stored (collector.runs.run_job)."""
    profile = job.profile
    newest = profile.tagged_media.order_by("-timestamp").values_list("timestamp", flat=True).first()
    try:
        for items in discovery.tagged_pages(job.client, profile.meta_id, since=newest):
            job.upserted += save_tags(profile, items)
    except PermissionMissing:  # no comments permission: not a dead token, only no tags
        Profile.objects.filter(pk=profile.pk).update(unavailable={**profile.unavailable, "tags": "manage_comments"})


def save_tags(profile: Profile, items: list[dict[str, Any]]) -> int:
    rows = [
        TaggedMedia(
            profile=profile,
            meta_id=str(item["id"]),
            username=str(item.get("username") or ""),
            caption=str(item.get("caption") or ""),
            media_type=str(item.get("media_type") or ""),
            media_product_type=str(item.get("media_product_type") or ""),
            permalink=str(item.get("permalink") or "")[:1000],
            timestamp=discovery.parse_time(str(item["timestamp"])),
            like_count=item.get("like_count"),
            comments_count=item.get("comments_count"),
            raw=item,
        )
        for item in items
        if item.get("id") and item.get("timestamp")
    ]
    TaggedMedia.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["profile", "meta_id"],
        update_fields=["caption", "like_count", "comments_count", "raw"],
    )  # fmt: skip
    return len(rows)
