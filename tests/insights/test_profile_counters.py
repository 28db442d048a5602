"""The profile page's post counters say what each counts, so Meta's figure and ours never seem to contradict."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collector.models import Media, MediaProductType, Profile
from tests.insights.builders import account

pytestmark = pytest.mark.django_db


def card(html: str, card_id: str) -> str:
    start = html.index(f'id="{card_id}"')
    return re.sub(r"<[^>]+>", " ", html[start : html.index("</div>", start)])


def test_it_shows_meta_s_count_and_the_posts_collected_each_with_what_it_counts(client: Client) -> None:
    lab = account()
    Profile.objects.filter(pk=lab.profile.pk).update(media_count=0)  # Meta's count, before its cache caught up
    for number, kind in enumerate([MediaProductType.FEED] * 3 + [MediaProductType.STORY]):
        Media.objects.create(profile=lab.profile, meta_id=f"1790000000000{number}", media_product_type=kind,
                             timestamp=timezone.now())  # fmt: skip
    client.force_login(lab.user)

    html = client.get(reverse("profile", args=[lab.profile.pk])).content.decode()

    on_meta, collected = card(html, "media-on-meta"), card(html, "media-collected")
    assert " 0 " in on_meta and "As Meta counts them" in on_meta
    assert " 4 " in collected and "stories" in collected and "Engagement counts those of the chosen period" in collected
