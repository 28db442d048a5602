"""Collector rows with realistic numbers, written in bulk (bulk_create, and COPY for comments),
for the insights tests and the page benchmark (bench/pages.py)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from accounts.models import Credential, CredentialKind, Invite, Membership, Organization, Role
from collector.coded import CODED_FIELDS, coded_values
from collector.models import (
    Media,
    MediaInsight,
    MediaProductType,
    MediaType,
    Platform,
    Profile,
    ProfileSnapshot,
)
from insights.aggregates import rebuild_daily_metrics
from tests.vault.builders import kept_story, missed_story
from webhooks.models import Conversation, Message

WORDS = (
    "Inscrições abertas para o vestibular do campus #ifma #educação",
    "Semana de ciência e tecnologia no Monte Castelo",
    "Parabéns aos formandos de 2026!",
    "Confira o resultado do processo seletivo",
    "Visita técnica dos alunos de edificações",
)
COMMENTS = ("Que orgulho!", "Quando saem as notas?", "Parabéns 👏", "Onde vejo o edital?", "Top demais", "Amei")
REPLY = "Obrigado! Veja o link na bio."  # the account's answer to every fifth comment
# (media_type, product_type, weight)
KINDS = (
    (MediaType.IMAGE, MediaProductType.FEED, 40),
    (MediaType.CAROUSEL_ALBUM, MediaProductType.FEED, 25),
    (MediaType.VIDEO, MediaProductType.REELS, 25),
    (MediaType.IMAGE, MediaProductType.STORY, 10),
)


@dataclass
class Account:
    user: object
    organization: Organization
    profile: Profile


def account(username: str = "ifma.saoluis", role: str = Role.ADMIN, user: object = None) -> Account:
    """A person, their organization, an active Instagram credential and its profile."""
    user = user or get_user_model().objects.create_user(f"person-{username}", password="a-long-test-password-1")
    organization = Organization.objects.create(name=f"Lab of {username}")
    Membership.objects.create(organization=organization, user=user, role=role)
    credential = Credential(
        organization=organization,
        kind=CredentialKind.INSTAGRAM_USER,
        meta_user_id=f"9{abs(hash(username)) % 10**9}",
        subject_id="17841400000000001",
        name=username,
    )
    credential.token = f"IGAA-test-token-{username}"
    credential.save()
    profile = Profile.objects.create(
        organization=organization,
        credential=credential,
        platform=Platform.INSTAGRAM,
        meta_id="17841400000000001",
        username=username,
        name="IFMA Campus São Luís - Monte Castelo",
        biography="Perfil oficial do campus.",
        website="https://portal.ifma.edu.br",
        account_type="BUSINESS",
        followers_count=12_400,
        follows_count=310,
        media_count=0,
        last_collected_at=timezone.now(),
    )
    return Account(user, organization, profile)


def populate(
    profile: Profile,
    *,
    media: int = 200,
    comments_per_media: int = 5,
    days: int = 180,
    seed: int = 7,
    today: date | None = None,
    comment_texts: tuple[str, ...] = COMMENTS,
) -> None:
    """`media` posts spread over the last `days` days with insights, comments (a fifth of them
    answered by the account), daily snapshots, then the daily aggregates."""
    rng = random.Random(seed)
    now = timezone.now()
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    end = min(datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=20), now)
    followers = profile.followers_count or 10_000
    weights = [weight for *_rest, weight in KINDS]
    rows = []
    for index in range(media):
        media_type, product, _weight = rng.choices(KINDS, weights)[0]
        posted = end - timedelta(seconds=rng.uniform(0, days * 86400))
        reach = int(followers * rng.uniform(0.08, 0.35) * (1.6 if product == MediaProductType.REELS else 1))
        likes = int(reach * rng.uniform(0.02, 0.09)) if product != MediaProductType.STORY else None
        comments = int(reach * rng.uniform(0.001, 0.01)) if product != MediaProductType.STORY else None
        saved, shares = int(reach * rng.uniform(0, 0.01)), int(reach * rng.uniform(0, 0.006))
        rows.append(
            Media(
                profile=profile,
                meta_id=f"18{profile.pk:04d}{index:011d}",
                caption=rng.choice(WORDS),
                media_type=media_type,
                media_product_type=product,
                permalink=f"https://www.instagram.com/p/{profile.pk}x{index}/",
                timestamp=posted,
                like_count=likes,
                comments_count=comments,
                reach=reach,
                views=int(reach * rng.uniform(1.2, 2.4)),
                saved=saved,
                shares=shares,
                total_interactions=(likes or 0) + (comments or 0) + saved + shares,
                insights_updated_at=now,
            )
        )
    Media.objects.bulk_create(rows, batch_size=2000)
    created = list(Media.objects.filter(profile=profile).values_list("id", "timestamp", "media_product_type", "reach"))
    MediaInsight.objects.bulk_create(
        [
            MediaInsight(
                media_id=media_id,
                captured_at=posted + timedelta(hours=20),
                reach=reach,
                views=int(reach * 1.3),
                replies=rng.randint(0, 6),
                navigation=int(reach * 0.8),
                shares=rng.randint(0, 4),
            )
            for media_id, posted, product, reach in created
            if product == MediaProductType.STORY
        ],
        batch_size=2000,
    )
    ProfileSnapshot.objects.bulk_create(
        [
            ProfileSnapshot(
                profile=profile,
                date=today - timedelta(days=offset),
                followers_count=followers - offset * rng.randint(2, 9),
                follows_count=profile.follows_count,
                media_count=media,
                reach=rng.randint(1500, 6000),
                views=rng.randint(4000, 15000),
                accounts_engaged=rng.randint(80, 600),
                total_interactions=rng.randint(150, 900),
                follows=rng.randint(5, 40),
                unfollows=rng.randint(0, 12),
            )
            for offset in range(days)
        ],
        batch_size=2000,
    )
    feed = [(media_id, posted) for media_id, posted, product, _reach in created if product != MediaProductType.STORY]
    if comments_per_media and feed:
        copy_comments(profile, feed, comments_per_media, rng, comment_texts)
    Profile.objects.filter(pk=profile.pk).update(media_count=media)
    profile.media_count = media
    rebuild_daily_metrics(profile.pk)


def copy_comments(
    profile: Profile,
    feed: list[tuple[int, datetime]],
    per_media: int,
    rng: random.Random,
    texts: tuple[str, ...] = COMMENTS,
) -> None:
    """Top-level comments, and for every fifth one a reply by the account: through COPY on
    PostgreSQL (the benchmarks load half a million), one executemany on SQLite. Each is coded by
    the classifier, as the collector codes what it stores."""
    columns = (
        "profile_id, media_id, parent_id, meta_id, author_id, username, text, timestamp, like_count, hidden, "
        "is_deleted, source, raw, first_seen_at, updated_at, " + ", ".join(CODED_FIELDS)
    )
    coded = {text: tuple(coded_values(text).values()) for text in (*texts, REPLY)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM collector_comment")
        rows = _comment_rows(profile, feed, per_media, rng, cursor.fetchone()[0] + 1, texts, coded)
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * (16 + len(CODED_FIELDS)))
            cursor.executemany(f"INSERT INTO collector_comment (id, {columns}) VALUES ({marks})", list(rows))
            return
        with cursor.cursor.copy(f"COPY collector_comment (id, {columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('collector_comment', 'id'), (SELECT MAX(id) FROM collector_comment))"
        )


def _comment_rows(
    profile: Profile,
    feed: list[tuple[int, datetime]],
    per_media: int,
    rng: random.Random,
    first_id: int,
    texts: tuple[str, ...],
    coded: dict[str, tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    now = timezone.now()
    next_id = first_id
    for media_id, posted in feed:
        for _n in range(per_media):
            at = min(posted + timedelta(minutes=rng.randint(1, 20_000)), now - timedelta(hours=3))
            comment_id = next_id
            text = rng.choice(texts)
            yield (
                comment_id, profile.pk, media_id, None, f"17{comment_id:015d}", f"{comment_id % 9000}",
                f"aluno{comment_id % 997}", text, at, rng.randint(0, 5),
                comment_id % 50 == 0, False, "poll", "{}", now, now, *coded[text],
            )  # fmt: skip
            next_id += 1
            if comment_id % 5 == 0:
                yield (
                    next_id, profile.pk, media_id, comment_id, f"17{next_id:015d}", profile.meta_id,
                    profile.username, REPLY, at + timedelta(hours=2), 0,
                    False, False, "poll", "{}", now, now, *coded[REPLY],
                )  # fmt: skip
                next_id += 1


def lab_with_history() -> Account:
    """An account with four months of posts, comments, an open DM conversation, an invite and two
    stories in the vault: every page has its tables, charts and dates to show."""
    lab = account()
    populate(lab.profile, media=90, comments_per_media=3, days=120)
    now = timezone.now()
    lab.conversation = Conversation.objects.create(
        profile=lab.profile, participant_id="6500000000000123", last_message_at=now
    )
    Message.objects.create(
        conversation=lab.conversation, mid="m1", text="Olá! Qual o horário da biblioteca?", sent_at=now
    )
    Invite.objects.create(organization=lab.organization, created_by=lab.user, expires_at=now + timedelta(days=7))
    kept_story(lab.profile, "18900000000000001")  # the story vault: one kept with its file, one missed
    missed_story(lab.profile, "18900000000000002")
    return lab
