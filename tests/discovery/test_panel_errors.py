"""Each account Business Discovery will not show is on the panel with what Meta said and why."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.test import Client
from django.urls import reverse

from accounts.models import Credential, CredentialKind
from collector.models import Platform, Profile
from discovery import panel
from discovery.models import TrackedAccount, TrackedStatus
from discovery.tasks import visit_due
from tests.discovery.conftest import Lab, a_day_passes, visited

pytestmark = pytest.mark.usefixtures("celery_worker")
REFUSED = ["joana.estudante", "perfil.fechado", "cervejaria.maranhense", "ninguem.aqui.2026"]


def panel_html(lab: Lab) -> str:
    client = Client()
    client.force_login(lab.user)
    return client.get(reverse("discovery:panel", args=[lab.organization.pk])).content.decode()


def test_personal_private_age_gated_and_unknown_accounts_are_shown_as_not_found(sandbox: Any, lab: Lab) -> None:
    panel.add(lab.organization, ", ".join(REFUSED), lab.user)
    for username in REFUSED:
        tracked = visited(TrackedAccount.objects.get(username=username).pk)
        assert tracked.status == TrackedStatus.NOT_FOUND and tracked.profile is None
        assert tracked.error_code == "110/2207013"
        assert tracked.error == f"The user with username: {username} cannot be found."
    html = panel_html(lab)
    for username in REFUSED:
        assert f'id="tracked-{username}" data-status="not_found"' in html
        assert f"The user with username: {username} cannot be found." in html
    assert "personal or private account, an account restricted by age" in html


def test_a_renamed_account_is_no_longer_found_and_its_new_name_continues_its_history(sandbox: Any, lab: Lab) -> None:
    panel.add(lab.organization, "ifma.bacabal", lab.user)
    tracked = visited(TrackedAccount.objects.get(username="ifma.bacabal").pk, status=TrackedStatus.OK)
    profile = tracked.profile
    assert profile is not None
    requests.post(
        f"{sandbox.url}/_sandbox/discovery/rename",
        json={"account": "ifma.bacabal", "username": "ifma.bacabal.oficial"},
        timeout=30,
    ).raise_for_status()
    a_day_passes(tracked)
    tracked.refresh_from_db()
    visit_due.delay()
    gone = visited(tracked.pk, after=tracked.visited_at, status=TrackedStatus.GONE)
    assert gone.profile_id == profile.pk  # the history stays with the old row
    html = panel_html(lab)
    assert 'id="tracked-ifma.bacabal" data-status="gone"' in html
    assert "If it was renamed, add the new username" in html

    panel.add(lab.organization, "ifma.bacabal.oficial", lab.user)
    renamed = visited(TrackedAccount.objects.get(username="ifma.bacabal.oficial").pk, status=TrackedStatus.OK)
    assert renamed.profile_id == profile.pk
    assert Profile.objects.filter(organization=lab.organization, meta_id=profile.meta_id).count() == 1
    assert profile.snapshots.count() == 2  # yesterday's under the old name, today's under the new
    old = TrackedAccount.objects.get(pk=tracked.pk)
    assert old.removed_at is not None and old.error == "@ifma.bacabal.oficial"
    assert "renamed: now @ifma.bacabal.oficial" in panel_html(lab)


def test_an_instagram_login_only_organization_is_told_why_the_panel_needs_facebook_login(
    sandbox: Any, lab: Lab
) -> None:
    Credential.objects.filter(pk=lab.caller.credential_id).update(kind=CredentialKind.INSTAGRAM_USER)
    panel.add(lab.organization, "ifma.pinheiro", lab.user)
    tracked = visited(TrackedAccount.objects.get(username="ifma.pinheiro").pk)
    assert tracked.status == TrackedStatus.NO_CALLER and tracked.graph_calls == 0
    html = panel_html(lab)
    assert 'id="needs-facebook-login"' in html
    assert (
        "Meta offers Business Discovery only to an Instagram professional account connected through Facebook Login"
        in html
    )
    assert Profile.objects.filter(organization=lab.organization, platform=Platform.INSTAGRAM).count() == 1
