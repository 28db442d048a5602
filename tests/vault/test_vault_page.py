"""The vault page in Brazilian Portuguese: every value's provenance, the missed story's reason and
what happens at the storage quota, in the reader's language and at their local time."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collector.models import MediaInsight, Provenance, Unavailable
from tests.insights.builders import account, populate
from tests.vault.builders import kept_story, missed_story

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_the_vault_page_speaks_portuguese_with_each_values_provenance(client: Client) -> None:
    lab = account()
    kept = kept_story(lab.profile, "18900000000000011")
    missed_story(lab.profile, "18900000000000012")
    client.force_login(lab.user)
    client.cookies["tz"] = "America/Fortaleza"

    page = client.get(reverse("stories", args=[lab.profile.pk]), HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()

    first = kept.media.insights.earliest("captured_at").captured_at
    live = timezone.localtime(first, timezone.get_fixed_timezone(-180))  # Fortaleza: UTC-3, no DST
    assert f"Ao vivo às {live:%H:%M}" in page and "Antes de expirar, às " in page
    assert "Final do webhook, recebido às " in page and "oculto pela Meta abaixo de 5" in page
    assert "Story perdido" in page and "nenhuma leitura de stories rodou enquanto ele estava no ar" in page
    assert "Quando o armazenamento está cheio, os novos stories continuam sendo guardados" in page
    assert "Indisponível (oculto pela Meta abaixo de 5 espectadores)" in page


def test_a_kept_storys_file_goes_when_its_profile_is_deleted_with_its_data() -> None:
    lab = account()
    kept = kept_story(lab.profile, "18900000000000021")
    path = Path(settings.MEDIA_ROOT) / kept.file.name
    assert path.is_file()

    lab.profile.delete()  # a disconnect with the data, a data-deletion request

    assert not path.exists()


def test_the_engagement_page_keeps_a_storys_last_value_read_not_a_later_refusal(client: Client) -> None:
    lab = account()
    populate(lab.profile, media=10, comments_per_media=0, days=7)  # a period with posts to show
    kept = kept_story(lab.profile, "18900000000000031")
    MediaInsight.objects.create(
        media=kept.media, captured_at=timezone.now(), provenance=Provenance.PRE_EXPIRY, unavailable=Unavailable.EXPIRED
    )
    client.force_login(lab.user)

    page = client.get(reverse("engagement", args=[lab.profile.pk]) + "?period=7").content.decode()

    row = page.split('id="stories"')[1].split("</table>")[0]
    assert ">40<" in row  # the webhook's final reach, read before Meta said the story was gone
