"""Shared by the collector benchmarks: a database of their own, a sandbox process, Django."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from tests.sandbox_process import free_port, start_sandbox

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
    from accounts.models import Credential, CredentialKind, Organization
    from collector.models import Platform, Profile

    account = requests.post(f"{url}/_sandbox/accounts", json={"username": username, "media": media}, timeout=120).json()
    minted = requests.post(
        f"{url}/_sandbox/tokens", json={"login": "instagram", "account": username}, timeout=30
    ).json()
    organization = Organization.objects.create(name=f"bench {username} {time.time()}")
    credential = Credential(
        organization=organization,
        kind=CredentialKind.INSTAGRAM_USER,
        meta_user_id=str(minted["user_id"]),
        subject_id=account["id"],
        name=username,
    )
    credential.token = minted["access_token"]
    credential.save()
    return Profile.objects.create(
        organization=organization,
        credential=credential,
        platform=Platform.INSTAGRAM,
        meta_id=account["id"],
        username=username,
    )
