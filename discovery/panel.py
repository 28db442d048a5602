"""Adding and removing tracked accounts, and what the panel says about each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from discovery import collect
from discovery.models import TrackedAccount, TrackedStatus

USERNAME = re.compile(r"^[a-z0-9._]{1,30}$")  # Instagram's usernames: letters, digits, dots, underscores
EXPLANATIONS = {
    TrackedStatus.PENDING: _("Waiting for the first visit: it runs in the background within minutes."),
    TrackedStatus.OK: _("Public data read through Business Discovery: counters, posts, likes and comments."),
    TrackedStatus.NOT_FOUND: _(
        "Meta shows no professional account under this username. It may be a personal or private "
        "account, an account restricted by age, or a username that does not exist: check the spelling."
    ),
    TrackedStatus.GONE: _(
        "Found before, but Meta no longer shows it: it was renamed, made personal or private, or restricted "
        "by age. If it was renamed, add the new username: its history continues."
    ),
    TrackedStatus.NO_CALLER: _(
        "Business Discovery needs an Instagram account of this organization connected through Facebook Login."
    ),
    TrackedStatus.PAUSED: _("Meta's rate limit: the visit is postponed and will be retried."),
    TrackedStatus.ERROR: _("Meta refused the visit; it is tried again tomorrow."),
    TrackedStatus.CONNECTED: _("This account is connected: its full data is collected directly."),
}


@dataclass
class Added:
    added: list[str]
    invalid: list[str]


def parse(text: str) -> tuple[list[str], list[str]]:
    """Usernames from what a person typed or pasted: commas, spaces or lines; @ and profile URLs accepted."""
    valid: list[str] = []
    invalid: list[str] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        name = token.rstrip("/").rsplit("/", 1)[-1].lstrip("@").lower()
        if not USERNAME.match(name):
            invalid.append(token)
        elif name not in valid:
            valid.append(name)
    return valid, invalid


def add(organization: Organization, text: str, user: object) -> Added:
    from discovery.tasks import visit_tracked

    usernames, invalid = parse(text)
    for username in usernames:
        tracked, created = TrackedAccount.objects.get_or_create(
            organization=organization, username=username, defaults={"added_by": user}
        )
        if not created and tracked.removed_at is not None:  # added again: the same history goes on
            TrackedAccount.objects.filter(pk=tracked.pk).update(removed_at=None, status=TrackedStatus.PENDING)
        transaction.on_commit(lambda pk=tracked.pk: visit_tracked.delay(pk))
    return Added(usernames, invalid)


def remove(tracked: TrackedAccount) -> None:
    """No more visits; the profile, its snapshots and posts stay (Compare can still show them)."""
    TrackedAccount.objects.filter(pk=tracked.pk).update(removed_at=timezone.now())


def rows(organization: Organization) -> list[TrackedAccount]:
    # One query whatever the panel's size: the stored posts are counted by the database.
    active = organization.tracked_accounts.active().select_related("profile")
    tracked = list(active.annotate(media_stored=Count("profile__media")))
    for item in tracked:
        item.explanation = EXPLANATIONS.get(item.status, "")  # type: ignore[attr-defined]
    return tracked


def context(organization: Organization) -> dict[str, object]:
    tracked = rows(organization)
    caller = collect.caller_for(organization)
    return {
        "organization": organization,
        "tracked": tracked,
        "caller": caller,
        "instagram_login_only": caller is None and collect.instagram_login_only(organization),
        "removed": organization.tracked_accounts.filter(removed_at__isnull=False).select_related("profile"),
        "compare_ids": [
            *organization.profiles.filter(credential__isnull=False, platform="instagram").values_list("pk", flat=True),
            *(item.profile_id for item in tracked if item.profile_id and item.status != TrackedStatus.CONNECTED),
        ],
    }
