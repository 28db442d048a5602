"""Meta's deauthorize and data-deletion callbacks: signed_request verified, data gone in a task."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Credential, CredentialStatus, DataDeletionRequest
from collector.models import Profile
from meta.signing import make_signed_request


def signed(user_id: str, secret: str | None = None) -> dict[str, str]:
    payload = {"algorithm": "HMAC-SHA256", "issued_at": int(time.time()), "user_id": user_id}
    return {"signed_request": make_signed_request(payload, secret or settings.META_APP_SECRET)}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["accounts:meta_deauthorize", "accounts:meta_data_deletion"])
def test_a_forged_signed_request_is_refused_and_changes_nothing(
    sandbox: Any, owner: Any, organization: Any, connect: Any, client: Any, path: str
) -> None:
    credentials = connect(organization, owner, "facebook")
    meta_user_id = credentials[0].meta_user_id

    response = client.post(reverse(path), signed(meta_user_id, secret="not-the-app-secret"))

    assert response.status_code == 400
    assert not DataDeletionRequest.objects.exists()
    assert all(c.status == CredentialStatus.ACTIVE for c in Credential.objects.all())
    assert Profile.objects.filter(organization=organization).count() == 2


@pytest.mark.django_db
def test_a_garbled_signed_request_is_refused(client: Any) -> None:
    assert client.post(reverse("accounts:meta_data_deletion"), {"signed_request": "abc"}).status_code == 400
    assert client.post(reverse("accounts:meta_deauthorize")).status_code == 400


@pytest.mark.django_db
def test_deauthorize_revokes_the_persons_tokens_and_forgets_them(
    sandbox: Any, owner: Any, organization: Any, connect: Any, client: Any
) -> None:
    [credential] = connect(organization, owner, "instagram", "ifma.caxias")

    # Instagram Login signs with the Instagram app secret, for the app-scoped user id.
    response = client.post(
        reverse("accounts:meta_deauthorize"), signed(credential.meta_user_id, settings.INSTAGRAM_APP_SECRET)
    )

    assert response.status_code == 200
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    assert not credential.has_token


def test_data_deletion_removes_tokens_and_data_and_the_status_page_says_so(
    transactional_db: None,
    sandbox: Any,
    celery_worker: None,
    owner: Any,
    organization: Any,
    connect: Any,
    client: Any,
) -> None:
    credentials = connect(organization, owner, "facebook")
    [other] = connect(organization, owner, "instagram", "ifma.caxias")

    response = client.post(reverse("accounts:meta_data_deletion"), signed(credentials[0].meta_user_id))

    assert response.status_code == 200
    answer = response.json()
    code = answer["confirmation_code"]
    assert answer["url"].endswith(reverse("accounts:data_deletion_status", args=[code]))
    deadline = time.monotonic() + 30
    while DataDeletionRequest.objects.get(confirmation_code=code).status != "done":
        assert time.monotonic() < deadline, "the deletion task did not run"
        time.sleep(0.2)
    assert list(Credential.objects.all()) == [other]
    assert list(Profile.objects.values_list("credential_id", flat=True)) == [other.pk]
    page = client.get(reverse("accounts:data_deletion_status", args=[code])).content.decode()
    assert 'data-status="done"' in page
    assert code in page


@pytest.mark.django_db
def test_an_unknown_confirmation_code_is_a_404(client: Any) -> None:
    assert client.get(reverse("accounts:data_deletion_status", args=["nope"])).status_code == 404
