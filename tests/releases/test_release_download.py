"""A release made on the page is built by a real worker, downloads as the same bytes every time,
its manifest's checksums match its files, and no commenter's username or Meta id is in it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from collector.models import Comment
from releases.models import Release
from tests.releases.builders import Lab, period, release_lab
from tests.waiting import wait_for
from webhooks.models import Conversation


@pytest.fixture
def lab(celery_worker: None) -> Lab:
    return release_lab()


def create(client: Client, lab: Lab) -> Release:
    window = period()
    response = client.post(
        reverse("releases:list", args=[lab.organization.pk]),
        {"title": "Campi 2026", "profiles": [p.pk for p in lab.profiles], "start": window.start, "end": window.end},
    )
    release = Release.objects.get(organization=lab.organization)
    assert response.status_code == 302 and response["Location"] == reverse(
        "releases:detail", args=[lab.organization.pk, release.pk]
    )
    return release


def download(client: Client, release: Release) -> bytes:
    response = client.get(reverse("releases:download", args=[release.organization_id, release.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def built(client: Client, lab: Lab) -> tuple[Release, bytes]:
    client.force_login(lab.user)
    release = create(client, lab)
    progress = reverse("releases:progress", args=[lab.organization.pk, release.pk])
    seen = wait_for(lambda: (body := client.get(progress).json())["status"] in ("ready", "failed") and body, 120)
    assert seen["status"] == "ready", Release.objects.get(pk=release.pk).error
    assert seen["percent"] == 100 and seen["done"] == seen["total"] > 0
    return Release.objects.get(pk=release.pk), download(client, release)


def text_of(name: str, data: bytes) -> str:
    """What a file says: Parquet decoded (its pages are compressed), anything else as text."""
    if name.endswith(".parquet"):
        return json.dumps(pq.read_table(io.BytesIO(data)).to_pylist(), default=str, ensure_ascii=False)
    return data.decode()


def test_a_release_downloads_byte_for_byte_the_same_and_its_checksums_match(client: Client, lab: Lab) -> None:
    release, first = built(client, lab)
    second = download(client, release)

    assert first == second
    assert hashlib.sha256(first).hexdigest() == release.sha256
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
            assert len(data) == entry["bytes"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert manifest["version"] == release.version and manifest["title"] == "Campi 2026"


def test_no_commenter_username_or_id_is_anywhere_in_a_release(client: Client, lab: Lab) -> None:
    _release, data = built(client, lab)
    accounts = {p.username for p in lab.profiles} | {p.meta_id for p in lab.profiles}
    people = set(Comment.objects.exclude(username__in=accounts).values_list("username", flat=True))
    people |= set(
        Comment.objects.exclude(author_id__in=accounts).exclude(author_id="").values_list("author_id", flat=True)
    )
    people |= {value for c in Conversation.objects.all() for value in (c.participant_id, c.participant_username)}
    assert len(people) > 300

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        texts = {name: text_of(name, archive.read(name)) for name in archive.namelist()}
    found = {(name, person) for name, text in texts.items() for person in people if person in text}
    assert found == set()
    comments = list(csv.DictReader(io.StringIO(texts["data/comments.csv"])))
    assert len(comments) == Comment.objects.count()


def test_a_viewer_downloads_but_cannot_create_a_release(client: Client, lab: Lab) -> None:
    from django.contrib.auth import get_user_model

    from accounts.models import Membership

    viewer = get_user_model().objects.create_user("viewer-of-the-lab")
    Membership.objects.create(organization=lab.organization, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("releases:list", args=[lab.organization.pk]))
    refused = client.post(reverse("releases:list", args=[lab.organization.pk]), {"profiles": [lab.profiles[0].pk]})

    assert page.status_code == 200 and b'id="release-form"' not in page.content
    assert refused.status_code == 403 and not Release.objects.exists()
