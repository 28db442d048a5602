"""Accounts fixtures: people and organizations, logins run through the real connect service against
the sandbox, and a guard that fails any test leaving a Meta token in plain text in the database
or in a log line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from accounts import connect as connecting
from accounts.models import Credential, Membership, Organization, Role
from meta.oauth import IssuedToken

# Every token the sandbox handed out or saw during the session: the final scan looks for all of them.
SESSION_TOKENS: set[str] = set()


def text_columns() -> list[tuple[type[models.Model], str]]:
    """Every text and JSON column of every table, as (model, field name), on any database."""
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [
        (model, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, kinds)
    ]


def plaintext_hits(tokens: set[str]) -> list[str]:
    """`table.column` for every text or JSON column of every table holding one of these tokens."""
    tokens = {token for token in tokens if token and len(token) > 20}
    if not tokens:
        return []
    hits = []
    for model, column in text_columns():
        holds = Q()
        for token in tokens:
            holds |= Q(as_text__contains=token)
        if model._default_manager.annotate(as_text=Cast(column, models.TextField())).filter(holds).exists():
            hits.append(f"{model._meta.db_table}.{column}")
    return hits


@pytest.fixture
def minted(sandbox: Any) -> Callable[..., dict[str, Any]]:
    """Mint a token at the sandbox as if the person had just logged in, remembering it for the scans."""

    def mint(login: str, account: str = "ifma.saoluis", **options: Any) -> dict[str, Any]:
        token = sandbox.mint_token(login, account, **options)
        SESSION_TOKENS.update(v for k, v in token.items() if k.endswith("access_token"))
        return token

    return mint


@pytest.fixture
def sandbox(sandbox: Any, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[Any]:
    """The suite's sandbox, plus a check after each test: no token the sandbox issued or saw is in
    any text or JSON column of the database, nor in any log record the test produced."""
    yield sandbox
    seen = {token for token in sandbox.calls()["by_token"] if "|" not in token}  # app tokens are the app's
    SESSION_TOKENS.update(seen)
    seen |= SESSION_TOKENS
    logged = "\n".join(
        record.getMessage() + (record.exc_text or "")
        for when in ("setup", "call")
        for record in caplog.get_records(when)
    )
    leaked = [token[-6:] for token in seen if token in logged]
    assert not leaked, f"tokens ending {leaked} appear in captured log lines"
    if {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        assert plaintext_hits(seen) == []


@pytest.fixture
def make_user(django_user_model: Any) -> Callable[..., Any]:
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, **fields: Any) -> Any:
        return django_user_model.objects.create_user(username=username or f"person{next(counter)}", **fields)

    return make


@pytest.fixture
def owner(make_user: Callable[..., Any]) -> Any:
    return make_user("owner", email="owner@example.org")


@pytest.fixture
def organization(owner: Any) -> Organization:
    return connecting.organization_for(owner)


@pytest.fixture
def connect(minted: Callable[..., dict[str, Any]]) -> Callable[..., list[Credential]]:
    """Run the login's connect service on a freshly minted token (the exchange included)."""

    def run(
        organization: Organization, user: Any, login: str, account: str = "ifma.saoluis", **options: Any
    ) -> list[Credential]:
        token = minted(login, account, **options)
        issued = IssuedToken(token["access_token"], None, tuple(token.get("scopes") or ()))
        if login == "instagram":
            return connecting.connect_instagram(organization, user, issued)
        return connecting.connect_facebook(organization, user, issued)

    return run


def add_member(organization: Organization, user: Any, role: str = Role.VIEWER) -> Membership:
    return Membership.objects.create(organization=organization, user=user, role=role)
