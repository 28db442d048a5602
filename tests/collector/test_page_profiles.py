"""A connected Facebook Page is collected too: its details, picture and the time of collection."""

from __future__ import annotations

from accounts.models import Credential, CredentialKind, Organization
from collector.models import Platform, Profile, RunOutcome
from collector.tasks import sync_profile
from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH

PAGE_ID = "20000000000000001"


def test_a_page_sync_stores_its_details_picture_and_collection_time(sandbox, transactional_db, workers) -> None:
    workers(1)
    user_token = sandbox.mint_token("facebook", "10000000000000001")["access_token"]
    page = GraphClient(user_token, host=FACEBOOK_GRAPH).get("me/accounts", {"fields": "id,access_token"})["data"][0]
    organization = Organization.objects.create(name="Campus")
    credential = Credential(
        organization=organization, kind=CredentialKind.PAGE, meta_user_id="10000000000000001", subject_id=PAGE_ID
    )
    credential.token = page["access_token"]
    credential.save()
    profile = Profile.objects.create(
        organization=organization, credential=credential, platform=Platform.FACEBOOK_PAGE, meta_id=PAGE_ID
    )

    assert sync_profile.delay(profile.pk).get(timeout=60) == RunOutcome.OK

    profile.refresh_from_db()
    assert profile.name.startswith("IFMA Campus")
    assert profile.followers_count and profile.followers_count > 0
    assert profile.picture_url.endswith(".jpg")
    assert profile.last_collected_at is not None
