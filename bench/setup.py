"""Shared by the collector benchmarks: a database of their own, a sandbox process, Django."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.sandbox_process import connect_instagram_account, free_port, start_sandbox

BENCH_DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sdl_bench")


def django_on_bench_database() -> None:
    """Point Django at the bench database (created and migrated on first use)."""
    import psycopg

    base, name = BENCH_DATABASE.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = BENCH_DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdatalab.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def sandbox() -> Iterator[str]:
    port = free_port()
    process, _ = start_sandbox(port)
    url = f"http://127.0.0.1:{port}"
    os.environ["META_SANDBOX_URL"] = url
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def connected_profile(url: str, username: str, media: int):
    """A sandbox account with `media` posts, connected as a Profile in a fresh organization."""
    return connect_instagram_account(url, username, media)
