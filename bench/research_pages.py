"""Research pages benchmark: the analysis page and the post lists for three profiles of 10,000
media each, with the engagement page of one of them measured in the same run for reference.

Run: `python -m bench.research_pages [--media 10000] [--requests 40] [--keep]`.

Builds the data (tests/insights/builders.py: two years of posts, daily snapshots) into a fresh
database `sdl_research_bench` (vacuumed and analysed, as autovacuum would leave it), renders each
page in-process through Django's test client (server time, no network) and reports p50/p95 and
the query count, next to the count for three profiles of 100 media to show it does not grow with
the data. Registered in bench.SCRIPTS.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime

from bench.pages import percentiles, setup_django

DATABASE = "sdl_research_bench"
CAMPUSES = ("caxias", "imperatriz", "saoluis")
YEAR = "?period=custom&start={year_ago}&end={today}"
PAGES = (
    ("analysis, 90 days", "analysis", None, "?period=90"),
    ("analysis, 365 days, reels heatmap", "analysis", None, YEAR + "&heat_kind=reel"),
    ("post list, all profiles, 90 days", "posts", None, "?period=90"),
    ("post list, all profiles, by ER, 365 days", "posts", None, YEAR + "&sort=er_reach"),
    ("post list, all profiles, caption search", "posts", None, "?period=90&q=campus"),
    ("post list, one profile, by reach", "profile_posts", 0, "?period=90&sort=reach"),
    ("reference: engagement, 90 days (its heatmap is now formulas')", "engagement", 0, "?period=90"),
    ("reference: profile page (unchanged by this work)", "profile", 0, ""),
)
BUDGET_MS = 150


def build(media: int) -> None:
    from collector.models import Profile
    from tests.insights.builders import account, populate

    if Profile.objects.filter(username__startswith="bench.").count() == 2 * len(CAMPUSES):
        return
    started = time.perf_counter()
    for size, count in (("large", media), ("small", 100)):
        first = account(f"bench.{size}.{CAMPUSES[0]}")
        populate(first.profile, media=count, comments_per_media=0, days=730, seed=21)
        for number, campus in enumerate(CAMPUSES[1:], start=22):
            other = account(f"bench.{size}.{campus}", user=first.user)
            populate(other.profile, media=count, comments_per_media=0, days=730, seed=number)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum leaves the tables after bulk inserts: planner statistics, and the visibility
        # map with which the post lists count a period's posts from an index alone.
        cursor.execute("VACUUM ANALYZE")
    print(f"built the data in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)


def measure(requests: int) -> list[dict[str, object]]:
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from collector.models import Profile

    today = timezone.localdate()
    dates = {"today": today.isoformat(), "year_ago": (today - timedelta(days=364)).isoformat()}
    rows = []
    for label, name, profile_index, query in PAGES:
        result: dict[str, object] = {"page": label}
        for size in ("small", "large"):
            profiles = list(Profile.objects.filter(username__startswith=f"bench.{size}.").order_by("username"))
            args = [profiles[profile_index].pk] if profile_index is not None else []
            url = reverse(name, args=args) + query.format(**dates)
            client = Client()
            client.force_login(profiles[0].organization.memberships.first().user)
            client.get(url)  # warm: connection, template loaders, PostgreSQL caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result[f"queries_{size}"] = len(queries)
            if size == "large":
                result["p50"], result["p95"] = percentiles(client, url, requests)
        rows.append(result)
    return rows


def report(rows: list[dict[str, object]], requests: int, media: int) -> str:
    lines = [
        f"## Research pages — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`python -m bench.research_pages` on {platform.node()} ({os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}): three profiles of {media:,} media each over two years, {requests} requests "
        "per page in-process (Django test client, DEBUG off, PostgreSQL on loopback), server time per request. "
        "The engagement page of one profile is measured in the same run as a reference.",
        "",
        f"| page | p50 ms | p95 ms | queries (3 x {media:,} media) | queries (3 x 100 media) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['queries_large']} | {row['queries_small']} |"
        )
    ours = [row for row in rows if not str(row["page"]).startswith("reference")]
    met = all(row["p95"] < BUDGET_MS for row in ours) and all(
        row["queries_large"] == row["queries_small"] for row in ours
    )
    lines += ["", f"Goal (p95 < {BUDGET_MS} ms, same query count at 100 media): {'met' if met else 'NOT met'}.", ""]
    return "\n".join(lines)


def main() -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse the benchmark database if it holds the data")
    args = parser.parse_args()
    setup_django(args.keep, DATABASE)
    build(args.media)
    return report(measure(args.requests), args.requests, args.media)


if __name__ == "__main__":
    print(main())
