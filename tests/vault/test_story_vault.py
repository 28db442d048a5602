"""A story's life in the vault, against the sandbox with the real worker: its hourly reading, its
pre-expiry reading and Meta's final webhook values, each with its provenance, and its file kept
under MEDIA_ROOT; a story whose last reading came too late says so instead of holding zeros."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from collector.models import Media, MediaInsight, Provenance, Unavailable
from collector.tasks import collect_stories
from storyvault.models import FileState, StoryKeep
from storyvault.tasks import tend_vault
from tests.vault.conftest import Stories
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
LAST_HALF_HOUR = 23 * 60 + 40  # minutes old: inside its final 30 minutes


def readings(meta_id: str) -> list[tuple[str, str, int | None]]:
    return list(
        MediaInsight.objects.filter(media__meta_id=meta_id)
        .order_by("captured_at")
        .values_list("provenance", "unavailable", "reach")
    )


def test_a_story_keeps_its_hourly_pre_expiry_and_webhook_final_values_with_their_provenance(
    celery_worker: None, facebook_lab: Any, stories: Stories, live_server: Any, client: Client
) -> None:
    lab = facebook_lab()
    stories.subscribe(f"{live_server.url}/webhooks/meta/")
    story = stories.post(LAST_HALF_HOUR, reach=40, views=60, replies=7)

    collect_stories.delay(lab.profile.pk)  # the hourly read
    wait_for(lambda: readings(story), what="the hourly reading")
    stories.viewers(story, reach=55, views=80)
    tend_vault.delay()  # the vault's 5-minute beat: its file, and its last reading before expiry
    wait_for(lambda: len(readings(story)) == 2, what="the pre-expiry reading")
    keep = wait_for(lambda: StoryKeep.objects.filter(media__meta_id=story, file_state=FileState.STORED).first())
    sent = stories.advance(90)["story_insights_sent"]  # it ends; Meta's webhook follows an hour later
    assert story in [item["media_id"] for item in sent]
    wait_for(lambda: len(readings(story)) == 3, what="the webhook's final values")

    assert readings(story) == [
        (Provenance.LIVE, "", 40),
        (Provenance.PRE_EXPIRY, "", 55),
        (Provenance.WEBHOOK_FINAL, "", 55),
    ]
    stored = Path(settings.MEDIA_ROOT) / keep.file.name
    assert stored.read_bytes().startswith(b"\x89PNG") and keep.file_bytes == stored.stat().st_size
    assert not keep.missed and Media.objects.get(meta_id=story).reach == 55

    client.force_login(lab.user)
    page = client.get(reverse("stories", args=[lab.profile.pk])).content.decode()
    article = page.split(f'id="story-{story}"')[1].split("</article>")[0]
    assert "Live at " in article and "Pre-expiry at " in article and "Webhook final, received at " in article
    assert reverse("story_file", args=[lab.profile.pk, keep.pk]) in article
    picture = client.get(reverse("story_file", args=[lab.profile.pk, keep.pk]))
    assert picture.status_code == 200 and b"".join(picture.streaming_content) == stored.read_bytes()


def test_a_story_gone_at_meta_before_its_last_reading_is_marked_so_not_zero(
    celery_worker: None, facebook_lab: Any, stories: Stories
) -> None:
    lab = facebook_lab()
    story = stories.post(23 * 60 + 50, reach=40, views=60)
    collect_stories.delay(lab.profile.pk)
    wait_for(lambda: readings(story), what="the hourly reading")
    stories.advance(15)  # Meta's day is over for it: not listed, insights refused, its URL dead

    tend_vault.delay()
    wait_for(lambda: len(readings(story)) == 2, what="the pre-expiry attempt")
    decided = StoryKeep.objects.exclude(file_state=FileState.PENDING).filter(media__meta_id=story)
    keep = wait_for(decided.first, what="the file's fate")

    assert readings(story)[1] == (Provenance.PRE_EXPIRY, Unavailable.EXPIRED, None)
    assert keep.file_state == FileState.URL_EXPIRED and not keep.file
