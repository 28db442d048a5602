"""The admin shows credentials with the token masked and queues checks, refreshes and revocations."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Credential, CredentialStatus


@pytest.fixture
def staff_client(client: Any, make_user: Any) -> Any:
    admin = make_user("staff", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_the_admin_never_shows_a_token_beyond_its_last_four_characters(
    sandbox: Any, owner: Any, organization: Any, connect: Any, staff_client: Any
) -> None:
    credentials = connect(organization, owner, "facebook")
    pages = [
        staff_client.get(reverse("admin:accounts_credential_changelist")).content.decode(),
        staff_client.get(reverse("admin:accounts_credential_change", args=[credentials[0].pk])).content.decode(),
        staff_client.get(reverse("admin:accounts_credential_changelist") + "?q=IFMA").content.decode(),
    ]
    for credential in credentials:
        assert f"…{credential.token[-4:]}" in pages[0]
        assert all(credential.token not in page and credential.token_encrypted not in page for page in pages)


def test_check_now_queues_a_check_that_marks_a_dead_token(
    transactional_db: None,
    sandbox: Any,
    celery_worker: None,
    owner: Any,
    organization: Any,
    connect: Any,
    staff_client: Any,
) -> None:
    [credential] = connect(organization, owner, "instagram", "ifma.caxias")
    sandbox.fail(token=credential.token, mode="revoked")

    staff_client.post(
        reverse("admin:accounts_credential_changelist"), {"action": "check_now", "_selected_action": [credential.pk]}
    )

    deadline = time.monotonic() + 30
    while Credential.objects.get(pk=credential.pk).status != CredentialStatus.NEEDS_RECONNECT:
        assert time.monotonic() < deadline, "the queued check did not run"
        time.sleep(0.2)
