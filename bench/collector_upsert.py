"""Upserting 100,000 media through the pipeline (transform and upsert 1,000 at a time, as the
collector loads ten Graph pages at once) against saving them one by one with the ORM (timed on
a 2,000-media sample and scaled: the full run would take minutes)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from bench.setup import django_on_bench_database

TOTAL = 100_000
ONE_BY_ONE_SAMPLE = 2_000
CHUNK = 1_000


def raw_media(n: int) -> list[dict]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        {
            "id": f"99{n:013d}{i:06d}",
            "caption": f"post {i} #bench",
            "media_type": "IMAGE",
            "media_product_type": "FEED",
            "permalink": f"https://www.instagram.com/p/{i}/",
            "media_url": f"https://cdn.example/{i}.jpg",
            "timestamp": (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "like_count": i % 500,
            "comments_count": i % 40,
            "insights": {"data": [{"name": "reach", "values": [{"value": i % 9000}]}]},
        }
        for i in range(n)
    ]


def main() -> str:
    django_on_bench_database()
    from accounts.models import Organization
    from collector import pipeline
    from collector.models import Media, Platform, Profile

    organization = Organization.objects.create(name=f"bench upsert {time.time()}")
    bulk_profile = Profile.objects.create(organization=organization, platform=Platform.INSTAGRAM, meta_id="b1")
    single_profile = Profile.objects.create(organization=organization, platform=Platform.INSTAGRAM, meta_id="b2")
    items = raw_media(TOTAL)

    started = time.perf_counter()
    for offset in range(0, TOTAL, CHUNK):
        pipeline.load(bulk_profile, pipeline.transform(items[offset : offset + CHUNK]))
    bulk = time.perf_counter() - started
    started = time.perf_counter()
    for offset in range(0, TOTAL, CHUNK):
        pipeline.load(bulk_profile, pipeline.transform(items[offset : offset + CHUNK]))
    rerun = time.perf_counter() - started

    frame = pipeline.transform(items[:ONE_BY_ONE_SAMPLE])
    frame = frame.astype(object).where(frame.notna(), None)
    started = time.perf_counter()
    for row in frame.to_dict("records"):
        Media.objects.update_or_create(
            profile=single_profile,
            meta_id=row["meta_id"],
            defaults={name: row[name] for name in pipeline.COMPARED if row[name] is not None},
        )
    single = (time.perf_counter() - started) * TOTAL / ONE_BY_ONE_SAMPLE
    Profile.objects.filter(pk__in=[bulk_profile.pk, single_profile.pk]).delete()
    organization.delete()
    return (
        "## Upserting 100,000 media\n\n| method | seconds |\n|---|---|\n"
        f"| pipeline: transform + one `INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM`"
        f" per 1,000 media | {bulk:.1f} |\n"
        f"| the same again (nothing changed: no row rewritten) | {rerun:.1f} |\n"
        f"| one by one (`update_or_create`), scaled from {ONE_BY_ONE_SAMPLE:,} | {single:.1f} |\n\n"
        f"Bulk is {single / bulk:.0f}x faster (goal ≥ 10x).\n"
    )


if __name__ == "__main__":
    print(main())
