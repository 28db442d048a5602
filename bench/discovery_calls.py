"""Graph calls per tracked account per day for a public panel of 30 (Business Discovery).

Goal (issue #15): one call for the profile plus one per 25 new media at most. Day 1 is each
account's first visit (100 media of history); day 2 follows a day on which each campus posted
0 to 3 times, one posted 30 and one 60 (a busy week caught up), as the sandbox's call log counts.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import requests

from bench.setup import django_on_bench_database, sandbox

PANEL = 30
NEW_MEDIA = [i % 4 for i in range(PANEL - 2)] + [30, 60]


def caller_lab(url: str) -> tuple[Any, Any, str]:
    from accounts.models import Credential, CredentialKind, Organization
    from collector.models import Platform, Profile

    minted = requests.post(
        f"{url}/_sandbox/tokens", json={"login": "facebook", "account": "ifma.saoluis"}, timeout=30
    ).json()
    organization = Organization.objects.create(name=f"Bench panel {time.time()}")
    credential = Credential(organization=organization, kind=CredentialKind.PAGE, subject_id=minted["page_id"])
    credential.token = minted["page_access_token"]
    credential.save()
    caller = Profile.objects.create(
        organization=organization, credential=credential, platform=Platform.INSTAGRAM, meta_id=minted["ig_user_id"],
        username="ifma.saoluis",
    )  # fmt: skip
    return organization, caller, minted["page_access_token"]


def day(url: str, token: str, panel: list[Any], caller: Any) -> list[int]:
    # A new day: the governor's hourly window of the calling account starts empty again.
    from collector.collect import redis_client
    from collector.tasks import governor_for
    from discovery import collect

    redis_client().delete(f"meta:rl:calls:{caller.meta_id}")
    calls = []
    for tracked in panel:
        before = (
            requests.get(f"{url}/_sandbox/calls", params={"token": token}, timeout=10).json()["by_token"].get(token, 0)
        )
        tracked.refresh_from_db()
        collect.visit(tracked, caller, caller.credential.graph_client(governor=governor_for(caller)))
        after = (
            requests.get(f"{url}/_sandbox/calls", params={"token": token}, timeout=10).json()["by_token"].get(token, 0)
        )
        calls.append(after - before)
    return calls


def main() -> str:
    os.environ.setdefault("META_HOURLY_CALL_BUDGET", "200")
    with sandbox() as url:
        django_on_bench_database()
        from discovery.models import TrackedAccount

        organization, caller, token = caller_lab(url)
        accounts = requests.get(f"{url}/_sandbox/discovery", timeout=30).json()["accounts"]
        names = [a["username"] for a in accounts if a["discovery"] == "business" and a["username"] != "ifma.saoluis"]
        panel = [TrackedAccount.objects.create(organization=organization, username=name) for name in names[:PANEL]]
        started = time.perf_counter()
        first = day(url, token, panel, caller)
        for tracked, new in zip(panel, NEW_MEDIA, strict=True):
            requests.post(
                f"{url}/_sandbox/discovery/grow", json={"account": tracked.username, "media": new}, timeout=30
            )
        second = day(url, token, panel, caller)
        elapsed = time.perf_counter() - started
    goal = [1 + math.ceil(new / 25) for new in NEW_MEDIA]
    quiet = [c for c, new in zip(second, NEW_MEDIA, strict=True) if new < 25]
    return (
        f"## Public panel: Graph calls per tracked account per day ({PANEL} accounts, "
        "`python -m bench.discovery_calls`)\n\n"
        "| day | calls | per account | max for one account |\n|---|---|---|---|\n"
        f"| first visit (100 media of history each) | {sum(first)} | {sum(first) / PANEL:.2f} | {max(first)} |\n"
        f"| a day later (0 to 3 new posts each, one 30, one 60) | {sum(second)} | "
        f"{sum(second) / PANEL:.2f} | {max(second)} |\n\n"
        f"Goal: one call for the profile plus one per 25 new media. Every account within it: "
        f"{all(c <= g for c, g in zip(second, goal, strict=True))} (accounts with fewer than 25 new posts: "
        f"{sum(quiet)} calls for {len(quiet)}, i.e. {sum(quiet) / max(len(quiet), 1):.2f} each; 30 new: {second[-2]}; "
        f"60 new: {second[-1]}). A day's panel ({sum(second)} calls) is well inside the governor's budget of "
        f"{os.environ['META_HOURLY_CALL_BUDGET']} calls an hour for the calling account. "
        f"Both days took {elapsed:.1f} s.\n"
    )


if __name__ == "__main__":
    print(main())
