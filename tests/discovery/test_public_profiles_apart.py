"""An account known only from the panel is public data: on the panel and in Compare, never among
the connected accounts or on the dashboard, and its profile pages say so."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from collector.models import Platform, Profile
from discovery.models import TrackedAccount, TrackedStatus
from tests.discovery.conftest import Lab


def public_profile(lab: Lab) -> Profile:
    profile = Profile.objects.create(
        organization=lab.organization, platform=Platform.INSTAGRAM, meta_id="17841400000000100", username="ifma.timon"
    )
    TrackedAccount.objects.create(
        organization=lab.organization, username="ifma.timon", profile=profile, status=TrackedStatus.OK
    )
    return profile


def test_a_public_account_is_not_listed_as_connected_but_is_in_compare(sandbox: Any, lab: Lab) -> None:
    profile = public_profile(lab)
    client = Client()
    client.force_login(lab.user)
    assert "@ifma.timon" not in client.get(reverse("accounts:connected")).content.decode()
    assert "@ifma.timon" not in client.get(reverse("dashboard")).content.decode()
    compare = client.get(reverse("compare"), {"profiles": [profile.pk, lab.caller.pk]}).content.decode()
    assert "@ifma.timon" in compare and "public data" in compare and "not public" in compare
    page = client.get(reverse("profile", args=[profile.pk])).content.decode()
    assert 'id="banner-public-data"' in page and reverse("comments", args=[profile.pk]) not in page
    assert 'id="banner-public-data"' not in client.get(reverse("profile", args=[lab.caller.pk])).content.decode()
