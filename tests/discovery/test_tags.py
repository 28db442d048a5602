"""Media others tag us in, collected on schedule; with the @mentions from webhooks they make the
profile's "what others post about us", which exports too."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import requests
from django.test import Client
from django.urls import reverse

from collector.models import CollectionRun, Mention, RunKind, RunOutcome
from discovery.models import TaggedMedia
from discovery.tasks import collect_tags, tags_all
from tests.discovery.conftest import Lab, wait_for

pytestmark = pytest.mark.usefixtures("celery_worker")


def tag_runs(lab: Lab) -> int:
    return CollectionRun.objects.filter(profile=lab.caller, kind=RunKind.TAGS, outcome=RunOutcome.OK).count()


def test_tagged_media_are_collected_on_schedule_and_only_new_ones_later(sandbox: Any, lab: Lab) -> None:
    tags_all.delay()
    wait_for(lambda: tag_runs(lab) == 1, what="the first tags run")
    assert TaggedMedia.objects.filter(profile=lab.caller).count() == 8
    newest = TaggedMedia.objects.filter(profile=lab.caller).first()
    assert newest is not None and "@ifma.saoluis" in newest.caption and newest.username

    requests.post(
        f"{sandbox.url}/_sandbox/tags",
        json={"account": "ifma.saoluis", "username": "ana.egressa", "caption": "Saudades do @ifma.saoluis!"},
        timeout=30,
    ).raise_for_status()
    sandbox.reset_calls()
    collect_tags.delay(lab.caller.pk)
    wait_for(lambda: tag_runs(lab) == 2, what="the second tags run")
    assert TaggedMedia.objects.filter(profile=lab.caller).count() == 9
    assert TaggedMedia.objects.filter(profile=lab.caller).first().username == "ana.egressa"
    assert sandbox.calls()["by_endpoint"] == {"GET graph.facebook.com /{ig-user-id}/tags": 1}


def test_what_others_post_about_us_shows_and_exports_tags_and_mentions(sandbox: Any, lab: Lab) -> None:
    collect_tags.delay(lab.caller.pk)
    wait_for(lambda: tag_runs(lab) == 1, what="the tags run")
    Mention.objects.create(
        profile=lab.caller, media_id="17900000000000001", comment_id="17800000000000009",
        raw={"fetched": {"mentioned_comment": {"text": "@ifma.saoluis quando abre o edital?", "username": "lucas.costa",
                                               "timestamp": "2026-11-30T12:00:00+0000", "like_count": 2}}},
    )  # fmt: skip
    client = Client()
    client.force_login(lab.user)
    html = client.get(reverse("discovery:about_us", args=[lab.caller.pk])).content.decode()
    assert html.count('class="card about-us-item"') == 9
    assert "@ifma.saoluis quando abre o edital?" in html and 'data-kind="comment"' in html and 'data-kind="tag"' in html

    response = client.get(reverse("discovery:about_us_export", args=[lab.caller.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["kind", "timestamp", "username", "text"]
    assert sorted(row[0] for row in rows[1:]) == ["comment"] + ["tag"] * 8
    assert ["comment", "2026-11-30T12:00:00+00:00", "lucas.costa"] == rows[
        1 + [r[0] for r in rows[1:]].index("comment")
    ][:3]
