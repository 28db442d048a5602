"""The load step: one upsert statement per chunk, the database decides what changed, and a
second run rewrites nothing (Postgres' xmin proves it), on PostgreSQL and on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from collector import pipeline
from collector.models import Media, MediaInsight, Platform, Profile

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def raw_media(count: int, reach: int = 100) -> list[dict[str, Any]]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        {
            "id": f"1790{i:08d}",
            "caption": f"post {i}",
            "media_type": "CAROUSEL_ALBUM" if i % 3 == 0 else "IMAGE",
            "media_product_type": "FEED",
            "permalink": f"https://www.instagram.com/p/{i}/",
            "media_url": f"https://cdn.example/{i}.jpg?sig={reach}",
            "timestamp": (start + timedelta(hours=i)).strftime(pipeline.GRAPH_TIME),
            "like_count": i % 50,
            "comments_count": i % 7,
            "children": {"data": [{"id": f"c{i}", "media_type": "IMAGE"}]} if i % 3 == 0 else None,
            "insights": {
                "data": [
                    {"name": "reach", "values": [{"value": reach + i}]},
                    {"name": "saved", "values": [{"value": 2}]},
                    {"name": "shares", "values": [{"value": 1}]},
                ]
            },
        }
        for i in range(count)
    ]


@pytest.fixture
def profile() -> Profile:
    organization = Organization.objects.create(name="Pipeline")
    return Profile.objects.create(organization=organization, platform=Platform.INSTAGRAM, meta_id="17841400000000001")


def _versions(profile: Profile) -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM collector_media WHERE profile_id = %s ORDER BY id", [profile.pk])
        return cursor.fetchall()


def _load(profile: Profile, items: list[dict[str, Any]]) -> pipeline.LoadResult:
    return pipeline.load(profile, pipeline.transform(items))


def test_loading_the_same_media_twice_rewrites_no_row_and_adds_no_capture(profile: Profile) -> None:
    items = raw_media(300)
    first = _load(profile, items)
    assert (first.seen, first.upserted, first.captures) == (300, 300, 300)
    before = _versions(profile)

    again = _load(profile, raw_media(300))  # fresh CDN signatures are not a change

    assert (again.upserted, again.captures) == (0, 0)
    assert _versions(profile) == before
    assert MediaInsight.objects.filter(media__profile=profile).count() == 300


def test_a_changed_reading_adds_a_capture_and_a_changed_caption_does_not(profile: Profile) -> None:
    items = raw_media(50)
    _load(profile, items)
    items[4]["insights"]["data"][0]["values"][0]["value"] = 9999
    items[5]["caption"] = "edited"

    result = _load(profile, items)

    assert (result.upserted, result.captures) == (2, 1)
    changed = Media.objects.get(profile=profile, meta_id=items[4]["id"])
    assert changed.reach == 9999 and changed.total_interactions == 4 % 50 + 4 % 7 + 2 + 1
    assert list(changed.insights.order_by("captured_at").values_list("reach", flat=True)) == [104, 9999]
    edited = Media.objects.get(profile=profile, meta_id=items[5]["id"])
    assert edited.caption == "edited" and edited.insights.count() == 1


def test_media_read_without_insights_keep_their_stored_readings(profile: Profile) -> None:
    items = raw_media(20)
    _load(profile, items)
    before = _versions(profile)
    for item in items:
        item.pop("insights")

    result = _load(profile, items)

    assert result.upserted == 0 and _versions(profile) == before
    assert set(Media.objects.filter(profile=profile).values_list("saved", flat=True)) == {2}


def test_a_media_deleted_then_listed_again_is_restored(profile: Profile) -> None:
    items = raw_media(3)
    _load(profile, items)
    Media.objects.filter(profile=profile, meta_id=items[0]["id"]).update(is_deleted=True)

    assert _load(profile, items).upserted == 1
    assert not Media.objects.filter(profile=profile, is_deleted=True).exists()


def test_the_database_compares_so_no_stored_row_is_read_back(profile: Profile) -> None:
    _load(profile, raw_media(1000))
    items = raw_media(1000)
    items[0]["caption"] = "changed"

    with CaptureQueriesContext(connection) as queries:
        result = _load(profile, items)

    statements = [q["sql"] for q in queries.captured_queries if "collector_media" in q["sql"]]
    assert result.upserted == 1
    assert len(statements) == 1 and statements[0].startswith("INSERT INTO")


SQLITE_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from accounts.models import Organization
from collector import pipeline
from collector.models import Media, MediaInsight, Platform, Profile
items = json.loads(sys.stdin.read())
organization = Organization.objects.create(name="SQLite")
profile = Profile.objects.create(organization=organization, platform=Platform.INSTAGRAM, meta_id="1")
first = pipeline.load(profile, pipeline.transform(items))
second = pipeline.load(profile, pipeline.transform(items))
items[1]["insights"]["data"][0]["values"][0]["value"] = 5
third = pipeline.load(profile, pipeline.transform(items))
print(json.dumps([first.upserted, first.captures, second.upserted, second.captures, third.upserted,
    third.captures, Media.objects.count(), MediaInsight.objects.count(),
    Media.objects.get(meta_id=items[1]["id"]).reach]))
"""


def test_the_same_upsert_works_on_sqlite_for_make_run(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "socialdatalab.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT],
        input=json.dumps(raw_media(40)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [40, 40, 0, 0, 1, 1, 40, 41, 5]
