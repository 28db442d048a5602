"""A story that ended before we saw it: Meta's story_insights webhook names it about an hour after
it ends, and the vault lists it as missed with the reason our records give (connected later, no
story read ran, the token had stopped working). Against the sandbox, with the real worker."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import CredentialStatus
from collector.models import MediaInsight, Profile, Provenance
from storyvault.models import MissedReason, StoryKeep
from tests.vault.conftest import Stories
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_story_that_ended_before_we_saw_it_is_listed_as_missed_with_the_reason(
    celery_worker: None, facebook_lab: Any, stories: Stories, live_server: Any, client: Client
) -> None:
    long_ago = timezone.now() - timedelta(days=3)
    down, later, dead = facebook_lab("ifma.worker.down"), facebook_lab("ifma.later"), facebook_lab("ifma.token")
    Profile.objects.filter(pk__in=[down.profile.pk, dead.profile.pk]).update(created_at=long_ago)
    dead.profile.credential.status = CredentialStatus.NEEDS_RECONNECT
    dead.profile.credential.last_checked_at = long_ago + timedelta(hours=1)
    dead.profile.credential.save(update_fields=["status", "last_checked_at"])
    stories.subscribe(f"{live_server.url}/webhooks/meta/")
    story = stories.post(25 * 60 + 5, reach=12, views=20)  # ended 65 minutes ago: its webhook is due

    assert [item["media_id"] for item in stories.send_due()] == [story]
    missed = wait_for(lambda: StoryKeep.objects.filter(media__meta_id=story, missed=True).count() == 3)

    reasons = dict(StoryKeep.objects.filter(media__meta_id=story).values_list("profile_id", "missed_reason"))
    assert missed and reasons == {
        down.profile.pk: MissedReason.WORKER_DOWN,
        later.profile.pk: MissedReason.CONNECTED_LATER,
        dead.profile.pk: MissedReason.TOKEN_EXPIRED,
    }
    finals = MediaInsight.objects.filter(media__meta_id=story).values_list("provenance", "reach")
    assert set(finals) == {(Provenance.WEBHOOK_FINAL, 12)}

    client.force_login(down.user)
    page = client.get(reverse("stories", args=[down.profile.pk])).content.decode()
    article = page.split(f'id="story-{story}"')[1].split("</article>")[0]
    assert "Missed story" in article and escape(str(MissedReason.WORKER_DOWN.label)) in article
    export = client.get(reverse("export", args=[down.profile.pk]) + "?dataset=stories&format=csv&period=7")
    rows = pd.read_csv(io.BytesIO(b"".join(export.streaming_content)), dtype={"media_id": str})
    assert rows.set_index("media_id").loc[story, "missed_reason"] == MissedReason.WORKER_DOWN
