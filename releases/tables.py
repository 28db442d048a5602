"""What a release contains: a registry of tables, each a name, its columns and its rows.

A table reads the release's profiles one at a time, oldest row first (a fixed order, so a
release built again from the same data is the same bytes), and yields its rows in chunks of
chunk_rows() rows with values in the order of `columns`. A new table is one more entry in TABLES, with
its columns in releases.codebook (data_gaps and audience: releases.account_tables and
releases.account_columns, which also bring the comments' coded columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collector.models import Comment, Media, Profile, ProfileSnapshot
from insights.periods import Period
from releases import account_tables, media_rows
from releases.account_columns import CODED_NAMES
from releases.codebook import with_reasons
from releases.media_rows import seconds
from releases.models import Release
from releases.pseudonyms import Pseudonyms

Row = tuple[Any, ...]


@dataclass
class Scope:
    """What one release covers: its profiles (by Meta id), its period and its pseudonyms."""

    profiles: list[Profile]
    period: Period
    people: Pseudonyms

    @classmethod
    def of_release(cls, release: Release) -> Scope:
        profiles = list(release.profiles.order_by("platform", "meta_id"))
        commenters = (
            Comment.objects.filter(profile__in=profiles)
            .exclude(author_id="")
            .values_list("author_id", "username")
            .distinct()
            .order_by("author_id", "username")
        )
        own = Profile.objects.filter(organization_id=release.organization_id).values_list("username", "meta_id")
        people = Pseudonyms(release.organization, commenters, [name for pair in own for name in pair])
        return cls(profiles, Period(release.start, release.end), people)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.period.bounds()

    def media(self, profile: Profile) -> Any:
        start, end = self.bounds
        return Media.objects.filter(profile=profile, timestamp__gte=start, timestamp__lt=end)

    def comments(self, profile: Profile) -> Any:
        start, end = self.bounds
        return Comment.objects.filter(profile=profile, media__timestamp__gte=start, media__timestamp__lt=end)

    def days(self, profile: Profile) -> Any:
        return ProfileSnapshot.objects.filter(profile=profile, date__gte=self.period.start, date__lte=self.period.end)


@dataclass(frozen=True)
class Table:
    name: str
    description: str | Promise
    columns: tuple[str, ...]
    count: Callable[[Scope], int]
    chunks: Callable[[Scope], Iterator[list[Row]]]


def chunk_rows() -> int:
    """Rows read, written and counted as progress together: memory against round trips."""
    return settings.RELEASE_CHUNK_ROWS


def chunked(rows: Iterator[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    size = chunk_rows()
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


PROFILE_COLUMNS = (
    "profile_id", "platform", "username", "name", "account_type", "biography", "followers_count",
    "follows_count", "media_count", "connected_at_utc", "backfill_started_at_utc", "backfill_finished_at_utc",
    "last_collected_at_utc",
)  # fmt: skip


def _profiles(scope: Scope) -> Iterator[list[Row]]:
    yield [
        (
            p.meta_id,
            p.platform,
            p.username,
            p.name,
            p.account_type,
            scope.people.text(p.biography),
            p.followers_count,
            p.follows_count,
            p.media_count,
            seconds(p.created_at),
            seconds(p.backfill_started_at),
            seconds(p.backfill_finished_at),
            seconds(p.last_collected_at),
        )
        for p in scope.profiles
    ]


def _media(scope: Scope) -> Iterator[list[Row]]:
    for profile in scope.profiles:
        rows = scope.media(profile).order_by("timestamp", "meta_id").values_list(*media_rows.FIELDS)
        for chunk in chunked(rows.iterator(chunk_size=chunk_rows())):
            yield media_rows.rows(profile, chunk, scope.people)


COMMENT_COLUMNS = (
    "profile_id", "comment_id", "media_id", "parent_id", "author", "author_is_account", "text", "posted_at_utc",
    "like_count", "hidden", "deleted", "source", *CODED_NAMES,
)  # fmt: skip
COMMENT_FIELDS = (
    "meta_id", "media__meta_id", "parent__meta_id", "author_id", "username", "text", "timestamp", "like_count",
    "hidden", "is_deleted", "source", *CODED_NAMES,  # the coded fields are named as their columns
)  # fmt: skip


def _comments(scope: Scope) -> Iterator[list[Row]]:
    for profile in scope.profiles:
        own = {profile.meta_id, (profile.username or "").lower()} - {""}
        rows = scope.comments(profile).order_by("timestamp", "meta_id").values_list(*COMMENT_FIELDS)
        for chunk in chunked(rows.iterator(chunk_size=chunk_rows())):
            yield [_comment(profile, own, scope.people, row) for row in chunk]


def _comment(profile: Profile, own: set[str], people: Pseudonyms, row: Row) -> Row:
    meta_id, media_id, parent_id, author_id, username, text, at, likes, hidden, deleted, source, *codes = row
    mine = author_id in own or username.lower() in own
    # The account's own replies name the account (it is in the profiles table); anyone else is a pseudonym.
    author = profile.meta_id if mine else people.of(author_id, username)
    return (profile.meta_id, meta_id, media_id, parent_id, author, mine, people.text(text), seconds(at), likes,
            hidden, deleted, source, *account_tables.coded_values(tuple(codes)))  # fmt: skip


# (column, ProfileSnapshot field): the account's counters and daily insights.
DAILY = (
    ("followers_count", "followers_count"), ("follows_count", "follows_count"), ("media_count", "media_count"),
    ("account_reach", "reach"), ("account_views", "views"), ("accounts_engaged", "accounts_engaged"),
    ("account_interactions", "total_interactions"), ("new_followers", "follows"), ("unfollows", "unfollows"),
)  # fmt: skip


def _account_daily(scope: Scope) -> Iterator[list[Row]]:
    fields = ("date", "followers_estimated", "suppressed", *(field for _name, field in DAILY))
    for profile in scope.profiles:
        rows = scope.days(profile).order_by("date").values_list(*fields)
        for chunk in chunked(rows.iterator(chunk_size=chunk_rows())):
            yield [_day(profile, row) for row in chunk]


def _day(profile: Profile, row: Row) -> Row:
    day, estimated, suppressed, *values = row
    # An Instagram snapshot holds the insights of the complete UTC day before it; a Page's, its own day.
    insights_day = day if profile.is_page else day.fromordinal(day.toordinal() - 1)
    cells: list[Any] = [profile.meta_id, day, insights_day, estimated]
    for (_name, field), value in zip(DAILY, values, strict=True):
        cells += [
            value,
            media_rows.missing(value, (suppressed or {}).get(field), profile.is_page and field == "accounts_engaged"),
        ]
    return tuple(cells)


TABLES: tuple[Table, ...] = (
    Table(
        "profiles",
        _("One row per account: who it is and when its data was collected."),
        with_reasons("profiles", PROFILE_COLUMNS),
        lambda scope: len(scope.profiles),
        _profiles,
    ),
    Table(
        "media",
        _("One row per post, reel or story published in the period, with its latest metrics."),
        with_reasons("media", media_rows.COLUMNS),
        lambda scope: sum(scope.media(profile).count() for profile in scope.profiles),
        _media,
    ),
    Table(
        "comments",
        _("Every comment and reply collected on the media of the period; people are pseudonyms."),
        with_reasons("comments", COMMENT_COLUMNS),
        lambda scope: sum(scope.comments(profile).count() for profile in scope.profiles),
        _comments,
    ),
    Table(
        "account_daily",
        _("One row per account and day: its counters and Meta's daily account insights."),
        with_reasons(
            "account_daily", ("profile_id", "date", "insights_day", "followers_estimated", *(n for n, _f in DAILY))
        ),
        lambda scope: sum(scope.days(profile).count() for profile in scope.profiles),
        _account_daily,
    ),
    Table(
        "audience",
        _("One row per account, day, audience metric, breakdown and segment; a breakdown Meta withheld is one row."),
        with_reasons("audience", account_tables.AUDIENCE_COLUMNS),
        account_tables.audience_count,
        lambda scope: chunked(account_tables.audience_rows(scope)),
    ),
    Table(
        "data_gaps",
        _("One row per period overlapping the release's when an account's data could not be collected, and why."),
        with_reasons("data_gaps", account_tables.GAP_COLUMNS),
        lambda scope: sum(account_tables.gaps(scope, profile).count() for profile in scope.profiles),
        lambda scope: chunked(account_tables.gap_rows(scope)),
    ),
)
