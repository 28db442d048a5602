"""The connected accounts page tells whether Meta's real-time events arrive for each profile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Credential, CredentialKind
from collector.models import Platform, Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(organization):
    credential = Credential(
        organization=organization, kind=CredentialKind.INSTAGRAM_USER, meta_user_id="1", subject_id="17841400000000001"
    )
    credential.token = "IGAA-not-a-real-token-for-the-page-test"
    credential.save()
    return Profile.objects.create(
        organization=organization,
        credential=credential,
        platform=Platform.INSTAGRAM,
        meta_id="17841400000000001",
        username="ifma.saoluis",
    )


def test_it_flags_a_profile_whose_webhooks_are_not_arriving(client, owner, profile):
    profile.webhooks_missing = True
    profile.save()
    client.force_login(owner)

    html = client.get("/accounts/connected/").content.decode()

    assert "Webhooks not arriving" in html
    assert "No real-time event yet" in html


def test_it_shows_when_the_last_real_time_event_came(client, owner, profile):
    profile.last_webhook_at = timezone.now() - timedelta(minutes=3)
    profile.save()
    client.force_login(owner)

    html = client.get("/accounts/connected/").content.decode()

    assert "Last real-time event 3\xa0minutes ago" in html
    assert "Webhooks not arriving" not in html


def test_it_says_what_each_missing_permission_is_for_and_offers_to_grant_it_again(client, owner, profile):
    credential = profile.credential
    credential.renew("IGAA-not-a-real-token-for-the-page-test", None, ["instagram_business_basic"])
    credential.save()
    client.force_login(owner)

    html = client.get("/accounts/connected/").content.decode()

    assert "<code>instagram_business_manage_comments</code>: reading, replying to, hiding and deleting comments" in html
    assert "Reconnect</button>" in html
