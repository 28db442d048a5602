"""Release benchmark: a dataset release of three profiles x 10,000 media and their comments.

Run: `python -m bench.releases [--media 10000] [--comments-per-media 5] [--keep]`.

Builds the data with bulk_create and COPY (tests/releases/builders.py) into a fresh database
`sdl_releases_bench` (or reuses it with --keep), then builds the release in a child process, as
the Celery task does (`releases.tasks.build_release`, called in that process), so its peak RSS
is the build's alone. The reference, from the same run and another child process: Django with
the release modules imported reading every row of the release's media and comments and doing
nothing with them, i.e. what the database and the ORM cost before anything is written.
Goal (issue #13): under 60 s and under 400 MB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench.pages import ROOT, setup_django

DATABASE = "sdl_releases_bench"


def data(media: int, per_media: int) -> int:
    from releases.models import Release
    from tests.releases.builders import period, release_lab

    started = time.perf_counter()
    lab = release_lab(media=media, comments_per_media=per_media)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built the data in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    window = period()
    release = Release.objects.create_numbered(lab.organization, start=window.start, end=window.end)
    release.profiles.set(lab.profiles)
    return release.pk


def child(mode: str, release_id: int) -> dict[str, float]:
    """Run one mode in a fresh process and return what it measured, with its peak RSS in MB."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.releases", f"--{mode}", str(release_id)],
        cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ},
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def build_here(release_id: int) -> dict[str, float]:
    from releases.models import Release
    from releases.tasks import build_release

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    build_release(release_id)
    elapsed = time.perf_counter() - started
    release = Release.objects.get(pk=release_id)
    assert release.status == "ready", release.error
    return {"seconds": elapsed, "before_mb": before, "rows": release.progress_done, "zip_mb": release.size / 2**20}


def read_here(release_id: int) -> dict[str, float]:
    from releases import build  # noqa: F401 - the same modules loaded as for a build
    from releases.models import Release
    from releases.tables import Scope

    scope = Scope.of_release(Release.objects.get(pk=release_id))
    started, rows = time.perf_counter(), 0
    for profile in scope.profiles:
        for query in (scope.media(profile), scope.comments(profile)):
            for _row in query.values_list().iterator(chunk_size=5000):
                rows += 1
    return {"seconds": time.perf_counter() - started, "rows": rows}


def report(build: dict[str, float], reference: dict[str, float], media: int) -> str:
    met = build["seconds"] < 60 and build["peak_mb"] < 400
    return "\n".join(
        [
            f"## Dataset release build (`python -m bench.releases`) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"On {platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()}), PostgreSQL on "
            f"loopback: three profiles x {media:,} media and their comments, {build['rows']:,.0f} rows in all "
            "(profiles, media, comments, daily rows), written as Parquet and CSV with the codebook and manifest, "
            "zipped and stored.",
            "",
            "| | seconds | peak RSS MB |",
            "|---|---:|---:|",
            f"| build (`releases.tasks.build_release` in a child process) | {build['seconds']:.1f} | "
            f"{build['peak_mb']:.0f} |",
            f"| reference: the same process reading the media and comments rows only ({reference['rows']:,.0f}) | "
            f"{reference['seconds']:.1f} | {reference['peak_mb']:.0f} |",
            "",
            f"ZIP: {build['zip_mb']:.1f} MB. RSS before the build started (Django and the release modules "
            f"loaded): {build['before_mb']:.0f} MB. Goal (< 60 s, < 400 MB): {'met' if met else 'NOT met'}.",
            "",
        ]
    )


def main() -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=int, default=10_000)
    parser.add_argument("--comments-per-media", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the benchmark database if it holds the data")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--read", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build or args.read:
        setup_django(keep=True, database=DATABASE)
        return json.dumps(build_here(args.build) if args.build else read_here(args.read))
    setup_django(args.keep, database=DATABASE)
    from releases.models import Release

    existing = Release.objects.order_by("pk").first() if args.keep else None
    release_id = existing.pk if existing else data(args.media, args.comments_per_media)
    Release.objects.filter(pk=release_id).update(status="queued", file="")
    reference = child("read", release_id)
    build = child("build", release_id)  # RUSAGE_CHILDREN: the larger of the two children
    return report(build, reference, args.media)


if __name__ == "__main__":
    print(main())
