"""A lab with three Instagram profiles, months of posts, comments by people with Meta-like ids
(coded by the classifier, but one), a story Meta withheld below its privacy floor, a day of follows
withheld below 100 followers, data gaps in, across and before the period, and two days of audience
with a breakdown Meta withheld."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from accounts.models import Role
from collector.audience import WITHHELD_BELOW_FLOOR
from collector.gaps import GapReason
from collector.models import (
    AudienceSnapshot,
    Comment,
    DataGap,
    Media,
    MediaInsight,
    MediaProductType,
    MediaType,
    Platform,
    Profile,
    ProfileSnapshot,
)
from insights.periods import last_days
from releases import build
from releases.models import Release
from releases.tables import Scope
from tests.insights.builders import Account, account, populate
from webhooks.models import Conversation

CAMPUSES = ("ifma.saoluis", "ifma.caxias", "ifma.imperatriz")


@dataclass
class Lab:
    account: Account
    profiles: list[Profile]
    hidden_story: Media = field(init=False)
    gaps: list[DataGap] = field(init=False)

    @property
    def organization(self) -> Any:
        return self.account.organization

    @property
    def user(self) -> Any:
        return self.account.user


def release_lab(media: int = 40, comments_per_media: int = 3, role: str = Role.ANALYST) -> Lab:
    made = account(CAMPUSES[0], role=role)
    profiles = [made.profile]
    for index, username in enumerate(CAMPUSES[1:], start=2):
        profiles.append(
            Profile.objects.create(
                organization=made.organization, credential=made.profile.credential, platform=Platform.INSTAGRAM,
                meta_id=f"1784140000000000{index}", username=username, name=f"IFMA {username}",
                followers_count=8_000 * index, account_type="BUSINESS",
            )
        )  # fmt: skip
    for seed, profile in enumerate(profiles):
        populate(profile, media=media, comments_per_media=comments_per_media, days=60, seed=seed)
    # Meta's ids for people are long numbers (IGSIDs); the builder's short ones would match any count.
    people = Comment.objects.filter(profile__in=profiles).exclude(username__in=CAMPUSES)
    people.update(author_id=Concat(Value("90"), Substr("meta_id", 3)))
    lab = Lab(made, profiles)
    _mentions(profiles[0])
    lab.hidden_story = _withheld(profiles[0])
    lab.gaps = _gaps(profiles[0])
    _audience(profiles[1])
    Conversation.objects.create(
        profile=profiles[0], participant_id="6500000000000123", participant_username="visitante.dm"
    )
    return lab


def _mentions(profile: Profile) -> None:
    """A comment naming two other commenters, with and without @, and a caption that tags one."""
    first, second = Comment.objects.filter(profile=profile).exclude(username=profile.username)[:2]
    media = first.media
    Comment.objects.create(
        profile=profile, media=media, meta_id="17999000000000001", author_id="90999000000000001",
        username="visitante.x", text=f"@{first.username} olha isso, {second.username} também!",
        timestamp=media.timestamp + timedelta(hours=1),
    )  # fmt: skip
    media.caption = f"Parabéns @{second.username} pelo prêmio!"
    media.save(update_fields=["caption"])


def _withheld(profile: Profile) -> Media:
    posted = timezone.now() - timedelta(days=3)
    story = Media.objects.create(
        profile=profile, meta_id="18000000000099999", media_type=MediaType.IMAGE,
        media_product_type=MediaProductType.STORY, timestamp=posted, views=37,
    )  # fmt: skip
    MediaInsight.objects.create(
        media=story, captured_at=posted + timedelta(hours=23), reach=None, views=37, replies=None,
        suppressed={"reach": 5, "replies": 5},
    )  # fmt: skip
    day = ProfileSnapshot.objects.filter(profile=profile).order_by("-date").first()
    day.follows, day.suppressed = None, {"follows": 100}
    day.save(update_fields=["follows", "suppressed"])
    return story


def _gaps(profile: Profile) -> list[DataGap]:
    """A token that expired for two days in the period, a gap from before the period into it, one
    still open, and one long before the period (not released)."""
    now = timezone.now().replace(microsecond=0)
    rows = [
        (GapReason.TOKEN_EXPIRED, 10, 8, "Error validating access token: Session has expired on Monday."),
        (GapReason.WORKER_DOWN, 95, 85, "daily run 17"),
        (GapReason.WITHHELD, 5, None, "audience: engaged_audience_demographics/age"),
        (GapReason.RATE_LIMITED, 200, 199, "Application request limit reached"),
    ]
    gaps = []
    for reason, start, end, detail in rows:
        ended = None if end is None else now - timedelta(days=end)
        gaps.append(
            DataGap.objects.create(
                profile=profile, reason=reason, detail=detail, started_at=now - timedelta(days=start), ended_at=ended
            )
        )
    return gaps


AUDIENCE = {
    ("follower_demographics", "city", "this_month"): {"São Luís, Maranhão": 5210, "Caxias, Maranhão": 880},
    ("follower_demographics", "gender", "this_month"): {"F": 3320, "M": 2710, "U": 60},
    ("engaged_audience_demographics", "age", "this_month"): None,  # under 100 engagements: withheld
    ("online_followers", "hour", ""): {"20": 910, "8": 340},
}


def _audience(profile: Profile) -> None:
    today = timezone.localdate()
    for offset in (1, 2):
        for (metric, breakdown, timeframe), values in AUDIENCE.items():
            AudienceSnapshot.objects.create(
                profile=profile, date=today - timedelta(days=offset), metric=metric, breakdown=breakdown,
                timeframe=timeframe, values=values, withheld=WITHHELD_BELOW_FLOOR if values is None else "",
            )  # fmt: skip


def period() -> Any:
    return last_days(90)


def ready_release(organization: Any, profiles: list[Profile], language: str = "en") -> Release:
    """A release of these profiles for the last 90 days, built in this process."""
    window = period()
    release = Release.objects.create_numbered(organization, start=window.start, end=window.end, language=language)
    release.profiles.set(profiles)
    build.build(release, Scope.of_release(release))
    release.refresh_from_db()
    return release
