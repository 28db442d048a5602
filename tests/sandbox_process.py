"""Starting the Meta sandbox (`python -m sandbox`) as a subprocess, for the suite and its own tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(port: int, seed: int = 42) -> tuple[subprocess.Popen[str], float]:
    """Start the sandbox; return the process and the seconds until it said it listens."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", str(port), "--seed", str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening" not in line:
        process.kill()
        raise RuntimeError(f"the sandbox did not start: {line}")
    # Drain what it prints later so a full pipe never blocks it.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, time.monotonic() - started


def connect_instagram_account(
    sandbox_url: str, username: str, media: int | None = None, organization: Any = None
) -> Any:
    """A sandbox Instagram account (created with `media` posts when given) connected as a Profile
    of `organization` (a new one by default), with a freshly minted Instagram Login token."""
    from accounts.models import Credential, CredentialKind, Organization
    from collector.models import Platform, Profile

    control = f"{sandbox_url}/_sandbox"
    if media is not None:
        account = requests.post(f"{control}/accounts", json={"username": username, "media": media}, timeout=120).json()
    else:
        account = next(a for a in requests.get(f"{control}/accounts", timeout=30).json() if a["username"] == username)
    minted = requests.post(f"{control}/tokens", json={"login": "instagram", "account": username}, timeout=30).json()
    organization = organization or Organization.objects.create(name=f"Org of {username}")
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
        organization=organization, credential=credential, platform=Platform.INSTAGRAM, meta_id=account["id"],
        username=username,
    )  # fmt: skip


def connect_through_login(sandbox_url: str, person: Any, login: str, account: str = "ifma.saoluis") -> Any:
    """What the OAuth callback does after the consent screen: the login's connect service on a
    freshly minted token (exchange, assets, webhooks, the connect signal). Returns the Instagram
    Profile it created in the person's organization."""
    from accounts import connect as connecting
    from collector.models import Platform, Profile
    from meta.oauth import IssuedToken

    organization = connecting.organization_for(person)
    token = requests.post(f"{sandbox_url}/_sandbox/tokens", json={"login": login, "account": account}, timeout=30)
    minted = token.json()
    issued = IssuedToken(minted["access_token"], None, tuple(minted.get("scopes") or ()))
    connect = connecting.connect_instagram if login == "instagram" else connecting.connect_facebook
    connect(organization, person, issued)
    return Profile.objects.get(organization=organization, platform=Platform.INSTAGRAM)
