"""Collection state that lives outside the database, for pages of other rooms (templates may load
any app's tags; code may not import upwards)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from collector.models import CollectionStatus, Profile
from collector.runs import governor_for

register = template.Library()


@register.simple_tag
def hourly_call_budget() -> int:
    """The Graph calls an hour we allow each account (meta.ratelimit), for the pages that say so."""
    return settings.META_HOURLY_CALL_BUDGET


@register.filter
def rate_paused_until(profile: Profile | None) -> datetime | None:
    """When Meta lets calls for this profile resume, if a rate limit pauses them now.

    A code-4 (app-level) limit pauses every account of the app in Redis at once, while each
    profile's collection_status only learns it when its next job runs: read the pause itself."""
    if profile is None or profile.credential_id is None:
        return None
    now = timezone.now()
    seconds = governor_for(profile).paused_for()
    if seconds > 0:
        return now + timedelta(seconds=seconds)
    if profile.collection_status == CollectionStatus.PAUSED and profile.next_retry_at and profile.next_retry_at > now:
        return profile.next_retry_at
    return None
