"""Graph calls for a 1,000-media backfill, against the seed's per-media plan (1 + 20 + 1,000)."""

from __future__ import annotations

import time

import requests

from bench.setup import connected_profile, django_on_bench_database, sandbox

SEED_PLAN = 1 + 20 + 1000


def main() -> str:
    with sandbox() as url:
        django_on_bench_database()
        from collector import collect, media_insights

        profile = connected_profile(url, f"bench.calls.{int(time.time())}", 1000)
        requests.post(f"{url}/_sandbox/calls/reset", timeout=10)
        started = time.perf_counter()
        collect.backfill(collect.Job(profile=profile, client=profile.credential.graph_client()))
        media_insights.collect_stories(collect.Job(profile=profile, client=profile.credential.graph_client()))
        elapsed = time.perf_counter() - started
        calls = requests.get(f"{url}/_sandbox/calls", timeout=10).json()
        stored = profile.media.count()
    return (
        "## Graph calls per backfill (1,000 media)\n\n"
        "| plan | Graph calls |\n|---|---|\n"
        f"| seed plan (profile + 20 pages + one insights call per media) | {SEED_PLAN} |\n"
        f"| collector (field expansion, 100 per page, stories with insights) | {calls['total']} |\n\n"
        f"{stored} media stored (feed and live stories) in {elapsed:.1f} s; "
        f"{SEED_PLAN / max(calls['total'], 1):.0f}x fewer calls. By endpoint: "
        + ", ".join(f"`{k}` {v}" for k, v in sorted(calls["by_endpoint"].items()))
        + ".\n"
    )


if __name__ == "__main__":
    print(main())
