"""Peak memory of a backfill of a 100,000-media account against the sandbox. Pages stream:
memory should not grow with the account. (Meta, and the sandbox, list only the 10,000 newest
media of an account; the walk stops there.)"""

from __future__ import annotations

import resource
import time

from bench.setup import connected_profile, django_on_bench_database, sandbox


def main() -> str:
    with sandbox() as url:
        django_on_bench_database()
        from collector import collect

        profile = connected_profile(url, f"bench.memory.{int(time.time())}", 100_000)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        collect.backfill(collect.Job(profile=profile, client=profile.credential.graph_client()))
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stored = profile.media.count()
    return (
        "## Peak memory of a 100,000-media backfill\n\n"
        f"Peak RSS of the collecting process: **{peak:.0f} MB** (goal < 300 MB; {before:.0f} MB before the "
        f"backfill started: Django, pandas and the sandbox account). {stored:,} media stored in {elapsed:.0f} s "
        "(Meta lists only the newest 10,000).\n"
    )


if __name__ == "__main__":
    print(main())
