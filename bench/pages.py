"""Page benchmark: the engagement and comments pages of a profile with 10,000 media and
500,000 comments, against a dedicated PostgreSQL database.

Run: `python -m bench.pages [--media 10000] [--comments 500000] [--requests 60] [--keep]`.

Builds the data with bulk_create and COPY (tests/insights/builders.py) into a fresh database
`sdl_insights_bench` (or reuses it with --keep), renders each page in-process through Django's
test client (server time: URL routing, views, queries, templates; no network), and reports the
50th/95th percentiles and the query count, next to the count for a profile with 100 media to
show it does not grow with the data. Registered in bench.SCRIPTS: `make bench` runs it with the
others and writes docs/benchmarks.md from the section it prints.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "sdl_insights_bench"
BASE_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PAGES = (
    ("engagement, 30 days", "engagement", "?period=30"),
    ("engagement, 90 days", "engagement", "?period=90"),
    ("comments, all", "comments", ""),
    ("comments, unanswered", "comments", "?status=unanswered"),
    ("comments, one post", "comments", "?media={media}"),
)


def setup_django(keep: bool, database: str = DATABASE) -> bool:
    """Point Django at a benchmark database (this one's by default); True when it already holds the data."""
    import psycopg

    with psycopg.connect(f"{BASE_URL}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not keep:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        if not exists or not keep:
            admin.execute(f'CREATE DATABASE "{database}"')
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "socialdatalab.settings",
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "DATABASE_URL": f"{BASE_URL}/{database}",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import socialdatalab.wsgi  # noqa: F401 - the web process's own start-up (its settle())

    return bool(exists) and keep


def build(media: int, comments: int) -> None:
    from collector.models import Profile
    from tests.insights.builders import account, populate

    if Profile.objects.filter(username__in=["bench.large", "bench.small"]).count() == 2:
        return
    started = time.perf_counter()
    large = account("bench.large")
    feed_share = 0.9  # stories take no comments
    per_media = math.ceil(comments / 1.2 / (media * feed_share))  # every fifth comment gets a reply
    populate(large.profile, media=media, comments_per_media=per_media, days=730, seed=11)
    populate(account("bench.small").profile, media=100, comments_per_media=5, days=730, seed=12)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built the data in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)


def measure(requests: int) -> list[dict[str, object]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from collector.models import Comment, Media, Profile

    rows = []
    profiles = {profile.username: profile for profile in Profile.objects.filter(username__startswith="bench.")}
    for label, name, query in PAGES:
        result: dict[str, object] = {"page": label}
        for size in ("small", "large"):
            profile = profiles[f"bench.{size}"]
            busiest = Media.objects.filter(profile=profile).order_by("-comments_count").values_list("pk", flat=True)[0]
            url = reverse(name, args=[profile.pk]) + query.format(media=busiest)
            client = Client()
            client.force_login(profile.organization.memberships.first().user)
            client.get(url)  # warm: connection, template loaders, PostgreSQL caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result[f"queries_{size}"] = len(queries)
            if size == "large":
                result["p50"], result["p95"] = percentiles(client, url, requests)
        rows.append(result)
    large = profiles["bench.large"]
    rows.append(
        {
            "media": Media.objects.filter(profile=large).count(),
            "comments": Comment.objects.filter(profile=large).count(),
        }
    )
    return rows


def percentiles(client: object, url: str, requests: int) -> tuple[float, float]:
    """The median and 95th percentile server time in ms of `requests` GETs of `url`."""
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[max(0, math.ceil(0.95 * len(times)) - 1)]


def report(rows: list[dict[str, object]], requests: int) -> str:
    counts = rows[-1]
    lines = [
        f"## Insights pages — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`python -m bench.pages` on {platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()}): "
        f"a profile with {counts['media']:,} media and {counts['comments']:,} comments, {requests} requests per page "
        "in-process (Django test client, DEBUG off, PostgreSQL on loopback), server time per request.",
        "",
        "| page | p50 ms | p95 ms | queries (10k media) | queries (100 media) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows[:-1]:
        lines.append(
            f"| {row['page']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['queries_large']} | {row['queries_small']} |"
        )
    verdict = all(row["p95"] < 100 and row["queries_large"] <= 15 for row in rows[:-1]) and all(
        row["queries_large"] == row["queries_small"] for row in rows[:-1]
    )
    lines += ["", f"Goal (p95 < 100 ms, ≤ 15 queries, same count at 100 media): {'met' if verdict else 'NOT met'}.", ""]
    return "\n".join(lines)


def main() -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="reuse the benchmark database if it holds the data")
    args = parser.parse_args()
    setup_django(args.keep)
    build(args.media, args.comments)
    return report(measure(args.requests), args.requests)


if __name__ == "__main__":
    print(main())
