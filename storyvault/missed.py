"""Stories that ended before we saw them, and why (docs/stories.md, "Missed stories").

How we know a story existed at all: Meta's `story_insights` webhook (Facebook Login accounts)
names every story when it ends, ours or not; one whose id we never read live is missed. Why we
missed it is read from our own records of the story's lifetime (about 25 h to 1 h before the
webhook): when the profile was connected, the hourly story reads that ran (CollectionRun, the
polling heartbeat) and the token's state. Instagram Login accounts get no such webhook: for them
the page lists the blind spots instead, the stretches of more than a day without a story read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from django.utils import timezone

from accounts.models import CredentialStatus
from collector.models import CollectionRun, Media, Profile, Provenance, RunKind, RunOutcome
from storyvault.models import FileState, MissedReason, StoryKeep

LIFETIME = timedelta(hours=24)
# Meta sends story_insights about an hour after the story ends (docs/sandbox.md, "Stories").
WEBHOOK_AFTER_END = timedelta(hours=1)
BLIND_AFTER = LIFETIME  # without a read for this long, a whole story can come and go unseen


def note_final_values(media: Media, received_at: datetime) -> StoryKeep:
    """The story_insights webhook arrived for this story: its vault entry, created as missed when
    we never read it live."""
    keep = StoryKeep.objects.filter(media=media).first()
    if keep is not None:
        return keep
    seen = media.insights.filter(provenance__in=[Provenance.LIVE, Provenance.PRE_EXPIRY]).exists()
    if seen or not media.raw.get("placeholder"):
        posted = media.timestamp
        keep, _ = StoryKeep.objects.get_or_create(
            media=media, defaults={"profile": media.profile, "posted_at": posted, "expires_at": posted + LIFETIME}
        )
        return keep
    ended = received_at - WEBHOOK_AFTER_END
    reason, detail = why_missed(media.profile, ended - LIFETIME, ended)
    keep, _ = StoryKeep.objects.get_or_create(
        media=media,
        defaults={
            "profile": media.profile, "posted_at": ended - LIFETIME, "expires_at": ended,
            "file_state": FileState.NO_MEDIA, "file_note": "never seen live: the webhook carries no media",
            "missed": True, "missed_reason": reason, "missed_detail": detail[:300],
        },
    )  # fmt: skip
    return keep


def _at(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def why_missed(profile: Profile, posted: datetime, ended: datetime) -> tuple[str, str]:
    """(MissedReason, detail) for a story of `profile` that lived from `posted` to `ended`."""
    if profile.created_at >= ended:
        return MissedReason.CONNECTED_LATER, f"connected {_at(profile.created_at)}, the story ended about {_at(ended)}"
    start = max(posted, profile.created_at)
    runs = CollectionRun.objects.filter(profile=profile, kind=RunKind.STORIES, started_at__range=(start, ended))
    read_ok = runs.filter(outcome=RunOutcome.OK).count()
    if read_ok:
        return MissedReason.NOT_LISTED, f"{read_ok} story reads succeeded while it lived"
    credential = profile.credential
    dead_since = None
    if credential is not None and credential.status in (CredentialStatus.NEEDS_RECONNECT, CredentialStatus.REVOKED):
        dead_since = credential.last_checked_at or credential.updated_at
    if runs.filter(outcome=RunOutcome.NEEDS_RECONNECT).exists() or (dead_since and dead_since <= ended):
        since = f" since {_at(dead_since)}" if dead_since else ""
        return MissedReason.TOKEN_EXPIRED, f"the token stopped working{since}: no story read was possible"
    last = (
        CollectionRun.objects.filter(profile=profile, kind=RunKind.STORIES, outcome=RunOutcome.OK, started_at__lt=start)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    before = f"; the last one before was at {_at(last)}" if last else ""
    return MissedReason.WORKER_DOWN, f"no story read ran from {_at(start)} to {_at(ended)}{before}"


@dataclass(frozen=True)
class BlindSpot:
    start: datetime
    end: datetime
    reason: str

    @property
    def reason_label(self) -> str:
        return str(MissedReason(self.reason).label)


def blind_spots(profile: Profile, days: int = 7) -> list[BlindSpot]:
    """Stretches of more than a day in the last `days` without a successful story read: a story
    posted and ended inside one would be missed without a trace (no webhook on Instagram Login)."""
    now = timezone.now()
    since = max(profile.created_at, now - timedelta(days=days))
    reads = list(
        CollectionRun.objects.filter(
            profile=profile, kind=RunKind.STORIES, outcome=RunOutcome.OK, started_at__gte=since
        ).values_list("started_at", flat=True)
    )
    marks = [since, *sorted(reads), now]
    spots = []
    for start, end in pairwise(marks):
        if end - start > BLIND_AFTER:
            reason, _detail = why_missed(profile, start, end)
            spots.append(BlindSpot(start, end, reason))
    return spots
