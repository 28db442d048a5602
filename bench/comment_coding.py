"""Coding comments: 100,000 stored comments coded by the Celery task, and what coding adds to each
comment a webhook stores. Goals (issue #15): under 60 s for the 100,000, under 5 ms per new comment.

Run: `python -m bench.comment_coding [--comments 100000]` (`BENCH_POSTGRES_URL`, `BENCH_REDIS_URL`).

Builds a fresh database `sdl_coding_bench` with one profile whose comments are the labelled sample's
texts (tests/data, 603 of them, repeated), written through COPY (tests/insights/builders.py), starts
one Celery worker (concurrency 2, the machine's CPUs) on the collect queue, marks every comment
uncoded (as after the migration), and times `collector.coding.code_comments` from `delay()` until
every range task it queued has coded its comments. References from the same run: the classifier alone on the same texts
in this process (no database), and the task's database work alone (the same reads and UPDATEs with
fixed codes). Then the webhook path: `webhooks.store.upsert_comment` for 500 new comments with the
classifier and 500 with it replaced by fixed codes; the difference per comment is what coding adds.
Registered in bench.SCRIPTS; prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "sdl_coding_bench"
BASE_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
WEBHOOK_COMMENTS = 500


def setup_django() -> None:
    import psycopg

    with psycopg.connect(f"{BASE_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "socialdatalab.settings",
            "DEBUG": "false",
            "DATABASE_URL": f"{BASE_URL}/{DATABASE}",
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": REDIS_URL,
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sample_texts() -> tuple[str, ...]:
    from classifier.evaluation import load

    data = ROOT / "tests" / "data"
    return tuple(e.text for name in ("comments_pt_br.csv", "comments_pt_br_holdout.csv") for e in load(data / name))


def build(total: int) -> Any:
    """A profile with `total` comments (about; replies by the account every fifth), coded."""
    import random

    from collector.models import Comment, Media
    from tests.insights.builders import account, copy_comments, populate

    lab = account("bench.coding")
    populate(lab.profile, media=2000, comments_per_media=0, days=365)
    feed = list(
        Media.objects.filter(profile=lab.profile).exclude(media_product_type="STORY").values_list("id", "timestamp")
    )
    per_media = max(1, round(total / 1.2 / len(feed)))
    copy_comments(lab.profile, feed, per_media, random.Random(15), sample_texts())
    lab.count = Comment.objects.filter(profile=lab.profile).count()
    return lab


def start_worker() -> subprocess.Popen[bytes]:
    log = open(ROOT / "var" / "bench-coding-worker.log", "wb")
    command = [sys.executable, "-m", "celery", "-A", "socialdatalab", "worker", "-Q", "collect", "-c", "2"]
    return subprocess.Popen(
        [*command, "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT,
        env=os.environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def time_task() -> tuple[float, dict[str, Any]]:
    from socialdatalab.celery import app

    deadline = time.monotonic() + 120
    while not app.control.ping(timeout=1):
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not start")
    from collector.coding import code_comments
    from collector.models import Comment

    Comment.objects.update(coded_by="", sentiment="")  # as after the migration: nothing coded yet
    started = time.perf_counter()
    result = code_comments.delay().get(timeout=600)
    while Comment.objects.filter(coded_by="").exists():  # the ranges it queued, coded in parallel
        time.sleep(0.1)
    return time.perf_counter() - started, result


def classifier_alone(texts: list[str]) -> float:
    from classifier import classify

    started = time.perf_counter()
    for text in texts:
        classify(text)
    return time.perf_counter() - started


def database_alone() -> float:
    """The task's reads and writes with fixed codes: what coding 100,000 would cost with a free classifier."""
    from collector import coding
    from collector.models import Comment

    fixed = {"sentiment": "neutral", "sentiment_score": 0.0, "is_question": False, "is_complaint": False}
    fixed |= {"is_praise": False, "is_spam": False, "coded_by": "reference"}
    started = time.perf_counter()
    last = 0
    while chunk := list(Comment.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[: coding.CHUNK]):
        from django.db import transaction

        with transaction.atomic():
            coding._update([{"id": pk, **fixed} for pk, _text in chunk])
        last = chunk[-1][0]
    return time.perf_counter() - started


def webhook_path(lab: Any, texts: tuple[str, ...]) -> dict[str, float]:
    """ms per new comment stored the way the comments webhook stores it, coded and with fixed codes."""
    from collector.models import Media
    from webhooks import store

    media = Media.objects.filter(profile=lab.profile).first()
    when = datetime.now(UTC) - timedelta(minutes=5)
    real = store.coded_values
    fixed = real("")
    timings: dict[str, list[float]] = {"coded": [], "fixed": []}
    for n in range(2 * WEBHOOK_COMMENTS):
        kind = "coded" if n % 2 == 0 else "fixed"  # interleaved, so machine noise falls on both alike
        store.coded_values = real if kind == "coded" else (lambda _text: dict(fixed))
        started = time.perf_counter()
        store.upsert_comment(
            lab.profile, media, f"wh{n}", parent_id="", author_id="1", username="aluno", text=texts[n % len(texts)],
            timestamp=when, raw={},
        )  # fmt: skip
        timings[kind].append((time.perf_counter() - started) * 1000)
    store.coded_values = real
    return {kind: statistics.median(values) for kind, values in timings.items()} | {
        f"{kind}_p99": sorted(values)[int(len(values) * 0.99)] for kind, values in timings.items()
    }


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args(argv)
    setup_django()
    from bench.__main__ import machine
    from collector.models import Comment

    lab = build(args.comments)
    texts = list(Comment.objects.filter(profile=lab.profile).values_list("text", flat=True))
    worker = start_worker()
    before = os.getloadavg()[0]
    try:
        wall, result = time_task()
        load = f"{before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (1-minute, on 2 CPUs)"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    alone, floor = classifier_alone(texts), database_alone()
    per = webhook_path(lab, sample_texts())
    return report(lab.count, wall, result, alone, floor, per, f"{machine()}; load average {load}")


def report(
    count: int, wall: float, result: dict[str, Any], alone: float, floor: float, per: dict[str, float], where: str
) -> str:
    from collector.coding import CHUNK

    added = per["coded"] - per["fixed"]
    met = "met" if wall < 60 and added < 5 else "NOT met"
    return f"""
## Coding comments (`python -m bench.comment_coding`) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC

Machine: {where}; PostgreSQL on loopback, shared with other jobs. {count:,} comments (the 603 texts
of tests/data, repeated), classifier `{result["classifier"]}`, one Celery worker (concurrency 2); the task queued
{result["queued"]} range tasks of {CHUNK:,}.

| what | seconds | comments/s |
|---|---:|---:|
| `code_comments` through the worker, `delay()` to every comment coded | {wall:.1f} | {count / wall:,.0f} |
| reference: the classifier alone on the same texts, no database | {alone:.1f} | {count / alone:,.0f} |
| reference: the task's reads and UPDATEs alone, fixed codes | {floor:.1f} | {count / floor:,.0f} |

Storing a new comment as the comments webhook does (`webhooks.store.upsert_comment`,
{WEBHOOK_COMMENTS} coded and {WEBHOOK_COMMENTS} with fixed codes, interleaved): median
{per["coded"]:.2f} ms coded, {per["fixed"]:.2f} ms with fixed codes
(p99 {per["coded_p99"]:.2f} / {per["fixed_p99"]:.2f} ms): coding adds **{added:.2f} ms** per comment, within the
noise of the write itself; the classifier alone took **{alone * 1000 / count:.2f} ms** a comment in this run (above).
Goals (100,000 under 60 s; under 5 ms per new comment): {met}.
"""


if __name__ == "__main__":
    print(main())
