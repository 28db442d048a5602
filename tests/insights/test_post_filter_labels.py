"""The comments page's post filter names each post the way people recognise it, never by a bare Meta id."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from collector.models import Media, MediaProductType
from tests.insights.builders import account

pytestmark = pytest.mark.django_db


def filter_options(client: Client, profile_pk: int) -> str:
    html = client.get(reverse("comments", args=[profile_pk])).content.decode()
    return html[html.index('id="filter-media"') : html.index("</select>", html.index('id="filter-media"'))]


def test_it_names_a_story_by_its_kind_and_time_and_a_post_by_its_caption(client: Client) -> None:
    lab = account()
    Media.objects.create(
        profile=lab.profile, meta_id="18200100000000000", media_product_type=MediaProductType.STORY,
        timestamp=datetime(2026, 12, 1, 17, 5, tzinfo=UTC), comments_count=0,
    )  # fmt: skip
    Media.objects.create(
        profile=lab.profile, meta_id="17900000000000077", caption="Inscrições abertas para o vestibular 2027 do campus",
        timestamp=datetime(2026, 11, 30, 12, tzinfo=UTC), comments_count=60,
    )  # fmt: skip
    client.force_login(lab.user)

    options = filter_options(client, lab.profile.pk)

    assert "18200100000000000" not in options
    # The viewer's time (America/Fortaleza), in the locale's short date-time format (14:05 or 2:05 p.m.).
    assert re.search(r"Story · [^·<]*\b(14|2):05[^·<]* · 0 comments", options), options
    assert "Inscrições abertas para o vestibular 20…" in options and "60 comments" in options
