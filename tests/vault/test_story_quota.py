"""The per-organisation story storage quota, against the sandbox with the real worker: at the quota
a new story is kept with its values but without its file and marked so (on the page too); raised
by an administrator, the files of stories still live are fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from collector.models import MediaInsight
from collector.tasks import collect_stories
from storyvault.models import MB, FileState, StorageQuota, StoryKeep
from storyvault.tasks import tend_vault
from tests.vault.conftest import Stories
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_story_over_the_quota_is_kept_without_its_file_and_marked_so(
    celery_worker: None, facebook_lab: Any, stories: Stories, client: Client
) -> None:
    lab = facebook_lab()
    StorageQuota.objects.create(organization=lab.organization, quota_mb=1)
    full = StoryKeep.objects.create(  # an earlier story's file fills the megabyte
        media=lab.profile.media.create(meta_id="18999", media_product_type="STORY", timestamp=lab.profile.created_at),
        profile=lab.profile, posted_at=lab.profile.created_at, expires_at=lab.profile.created_at,
        file_state=FileState.STORED, file_bytes=MB - 10,
    )  # fmt: skip
    story = stories.post(120, reach=40, views=60)

    collect_stories.delay(lab.profile.pk)
    wait_for(lambda: MediaInsight.objects.filter(media__meta_id=story).exists(), what="the hourly reading")
    tend_vault.delay()
    keep = wait_for(
        lambda: StoryKeep.objects.filter(media__meta_id=story, file_state=FileState.OVER_QUOTA).first(),
        what="the quota's verdict",
    )

    assert not keep.file and keep.file_bytes == 0 and "quota of 1 MB" in keep.file_note
    assert MediaInsight.objects.filter(media=keep.media, reach=40).exists()  # its values are kept
    client.force_login(lab.user)
    page = client.get(reverse("stories", args=[lab.profile.pk])).content.decode()
    article = page.split(f'id="story-{story}"')[1].split("</article>")[0]
    assert escape(str(FileState.OVER_QUOTA.label)) in article and 'id="over-quota"' in page

    admin = get_user_model().objects.create_superuser("site-admin", password="a-long-test-password-1")
    client.force_login(admin)
    quota = StorageQuota.objects.get(organization=lab.organization)
    change = reverse("admin:vault_storagequota_change", args=[quota.pk])
    answer = client.post(change, {"organization": lab.organization.pk, "quota_mb": 5})
    assert answer.status_code == 302, answer.content.decode()[:500]
    tend_vault.delay()
    stored = wait_for(lambda: StoryKeep.objects.filter(pk=keep.pk, file_state=FileState.STORED).first())
    assert (Path(settings.MEDIA_ROOT) / stored.file.name).is_file() and full.file_bytes == MB - 10
