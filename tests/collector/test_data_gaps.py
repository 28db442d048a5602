"""The data-gap ledger: a token that expired opens a gap (from the refused call, open while it
lasts); the profile page lists it, the gaps export has it with an empty end, the engagement
chart's days since then read "no data" rather than 0; a reconnect's first good run closes it."""

from __future__ import annotations

import io

import pandas as pd
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from collector.gaps import DataGap, GapReason
from collector.tasks import snapshot_profile, sync_profile
from meta.errors import RateLimited
from tests.insights.builders import account


def _member(profile) -> Client:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("gap.reader", password="x")
    Membership.objects.create(organization=profile.organization, user=user, role=Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def test_an_expired_token_is_a_gap_listed_on_the_profile_and_exported(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("gap.expired", media=10)
    before = timezone.now()
    sandbox.fail(token=profile.credential.token, mode="expired")

    sync_profile.delay(profile.pk).get(timeout=60)

    gap = DataGap.objects.get(profile=profile)
    assert (gap.reason, gap.ended_at) == (GapReason.TOKEN_EXPIRED, None)
    assert gap.started_at >= before and "190" in gap.detail
    # Later jobs see the dead credential and make no call; they extend the same gap, not a new one.
    assert snapshot_profile.delay(profile.pk).get(timeout=30) == "no usable credential"
    assert DataGap.objects.filter(profile=profile).count() == 1

    client = _member(profile)
    page = client.get(reverse("profile", args=[profile.pk])).content.decode()
    assert 'id="gap-list"' in page and 'data-reason="token_expired"' in page
    assert "Token expired" in page and "ongoing" in page

    url = reverse("export", args=[profile.pk]) + "?period=7&dataset=gaps&format=csv"
    body = b"".join(client.get(url).streaming_content)
    frame = pd.read_csv(io.BytesIO(body))
    assert list(frame.columns) == ["account", "account_id", "reason", "started_at_utc", "ended_at_utc", "detail"]
    assert frame["reason"].tolist() == ["token_expired"]
    assert frame["ended_at_utc"].isna().all()  # open: empty, not a made-up end

    engagement = client.get(reverse("engagement", args=[profile.pk]) + "?period=7")
    today = timezone.localdate().isoformat()
    day = next(row for row in engagement.context["report"].series if row["date"] == today)
    assert day["reach"] is None and day["interactions"] is None  # unknown, not 0

    # Reconnected: a new token, and the first run that completes closes the gap.
    sandbox.clear_failures()
    minted = sandbox.mint_token("instagram", "gap.expired")
    credential = profile.credential
    credential.refresh_from_db()
    credential.renew(minted["access_token"], 3600)
    credential.save()
    sync_profile.delay(profile.pk).get(timeout=60)
    gap.refresh_from_db()
    assert gap.ended_at is not None and gap.ended_at > gap.started_at


def test_one_open_gap_per_reason_and_a_rate_limit_is_its_own(db) -> None:
    profile = account("gap.ledger").profile
    assert DataGap.objects.begin(profile.pk, GapReason.RATE_LIMITED, str(RateLimited("(#4) limit", code=4)))
    assert not DataGap.objects.begin(profile.pk, GapReason.RATE_LIMITED, "again")
    assert DataGap.objects.begin(profile.pk, GapReason.WEBHOOKS_MISSING)
    assert DataGap.objects.end(profile.pk, GapReason.RATE_LIMITED) == 1
    assert DataGap.objects.begin(profile.pk, GapReason.RATE_LIMITED)  # a new period after the first closed
    assert list(DataGap.objects.open().values_list("reason", flat=True).order_by("reason")) == [
        GapReason.RATE_LIMITED,
        GapReason.WEBHOOKS_MISSING,
    ]
