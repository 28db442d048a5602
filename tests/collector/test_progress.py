"""The backfill progress endpoint shows a profile's progress to its organization only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Membership, Organization
from collector.models import Platform, Profile


@pytest.mark.django_db
def test_it_reports_progress_to_members_and_404s_for_others(client) -> None:
    mine, theirs = Organization.objects.create(name="Mine"), Organization.objects.create(name="Theirs")
    user = get_user_model().objects.create_user("ana", "ana@example.org", "pw-123456!")
    Membership.objects.create(user=user, organization=mine)
    profile = Profile.objects.create(
        organization=mine, platform=Platform.INSTAGRAM, meta_id="1", backfill_total=200, backfill_done=50
    )
    other = Profile.objects.create(organization=theirs, platform=Platform.INSTAGRAM, meta_id="2")
    client.force_login(user)

    body = client.get(reverse("collector:backfill_progress", args=[profile.pk])).json()
    assert (body["done"], body["total"], body["percent"]) == (50, 200, 25)
    assert client.get(reverse("collector:backfill_progress", args=[other.pk])).status_code == 404
