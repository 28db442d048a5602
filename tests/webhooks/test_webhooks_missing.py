"""A profile whose comments grow on Meta while no comment webhook arrives is flagged, and unflagged
when they arrive again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client

from collector.models import Media, Profile
from webhooks.tasks import check_webhooks_arriving

from .conftest import deliver

pytestmark = pytest.mark.django_db


def test_it_flags_silence_and_clears_the_flag_when_webhooks_arrive(client: Client, profile: Profile) -> None:
    cache.delete(f"webhooks:comment-total:{profile.pk}")
    media = Media.objects.create(
        profile=profile, meta_id="18050310947722369", timestamp=datetime(2026, 4, 1, tzinfo=UTC), comments_count=5
    )
    check_webhooks_arriving()  # first look: only the baseline
    Media.objects.filter(pk=media.pk).update(comments_count=8)  # the collector's sync saw 3 new comments
    assert check_webhooks_arriving() == 1
    profile.refresh_from_db()
    assert profile.webhooks_missing

    deliver(client, "comments_instagram_login_flat")
    Media.objects.filter(pk=media.pk).update(comments_count=9)
    assert check_webhooks_arriving() == 0
    profile.refresh_from_db()
    assert not profile.webhooks_missing


def test_a_quiet_profile_is_not_flagged(profile: Profile) -> None:
    cache.delete(f"webhooks:comment-total:{profile.pk}")
    Media.objects.create(profile=profile, meta_id="1", timestamp=datetime(2026, 4, 1, tzinfo=UTC), comments_count=5)
    check_webhooks_arriving()
    assert check_webhooks_arriving() == 0
    profile.refresh_from_db()
    assert not profile.webhooks_missing
