"""`make run` leaves the demo person with the sandbox's accounts connected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import Credential, CredentialStatus
from collector.models import Profile

pytestmark = pytest.mark.django_db


def test_the_demo_organization_gets_every_sandbox_account_connected_and_reruns_update_them(sandbox: Any) -> None:
    call_command("seed_demo")
    call_command("seed_demo")  # the sandbox forgets tokens on restart: a rerun reconnects in place

    usernames = set(
        Profile.objects.filter(organization__memberships__user__username="demo").values_list("username", flat=True)
    )
    assert {"ifma.saoluis", "ifma.imperatriz", "ifma.caxias"} <= usernames
    assert Profile.objects.filter(platform="facebook_page").count() == 1
    assert Credential.objects.count() == 4  # Facebook user, Page, two Instagram logins
    assert set(Credential.objects.values_list("status", flat=True)) == {CredentialStatus.ACTIVE}
