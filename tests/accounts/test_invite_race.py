"""A single-use invite opened by several people at the same moment makes exactly one member."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invite, Membership, Role

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = 3
ROUNDS = 5


def accept_together(link: str, people: list[Any]) -> list[str]:
    """Each person POSTs the link from a thread of their own (own database connection), released at once."""
    start = threading.Barrier(len(people))
    pages: list[str] = [""] * len(people)

    def accept(index: int, person: Any) -> None:
        client = Client()
        client.force_login(person)
        try:
            start.wait()
            pages[index] = client.post(link, follow=True).content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=pair) for pair in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return pages


def test_three_people_accepting_one_invite_at_once_make_one_member(organization: Any, make_user: Any) -> None:
    for round_ in range(ROUNDS):
        people = [make_user(f"round{round_}-person{n}") for n in range(PEOPLE)]
        invite = Invite.objects.create(
            organization=organization, role=Role.ANALYST, expires_at=timezone.now() + timedelta(days=1)
        )

        pages = accept_together(reverse("accounts:invite", args=[invite.code]), people)

        joined = Membership.objects.filter(organization=organization, user__in=people)
        assert joined.count() == 1, f"round {round_}: {joined.count()} members from one single-use invite"
        invite.refresh_from_db()
        assert invite.accepted_by == joined.get().user
        assert sum("You joined" in page for page in pages) == 1
        assert sum("already used" in page for page in pages) == PEOPLE - 1
