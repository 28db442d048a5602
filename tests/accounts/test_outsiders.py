"""Every page that names an organization's object is a 404 for people outside it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Credential, Invite, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(sandbox: Any, owner: Any, organization: Any, connect: Any) -> dict[str, Any]:
    credentials = connect(organization, owner, "facebook")
    return {
        "organization": organization,
        "credential": credentials[0],
        "membership": Membership.objects.get(organization=organization, user=owner),
    }


@pytest.fixture
def outsider_client(client: Any, make_user: Any) -> Any:
    client.force_login(make_user("outsider"))
    return client


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "accounts:disconnect", ["credential"]),
        ("post", "accounts:disconnect", ["credential"]),
        ("get", "accounts:organization", ["organization"]),
        ("post", "accounts:create_invite", ["organization"]),
        ("post", "accounts:change_role", ["organization", "membership"]),
    ],
)
def test_an_outsider_gets_404(
    theirs: dict[str, Any], outsider_client: Any, method: str, name: str, args: list[str]
) -> None:
    url = reverse(name, args=[theirs[arg].pk for arg in args])
    response = getattr(outsider_client, method)(url, {"data": "delete", "role": Role.OWNER})
    assert response.status_code == 404
    assert Credential.objects.filter(pk=theirs["credential"].pk).exists()
    assert not Invite.objects.exists()
    assert theirs["membership"].__class__.objects.get(pk=theirs["membership"].pk).role == Role.OWNER


def test_an_outsider_sees_none_of_their_accounts(theirs: dict[str, Any], outsider_client: Any) -> None:
    page = outsider_client.get(reverse("accounts:connected")).content.decode()
    assert "ifma.saoluis" not in page
    assert theirs["organization"].name not in page


def test_a_viewer_may_see_the_accounts_but_not_disconnect_them(
    theirs: dict[str, Any], client: Any, make_user: Any
) -> None:
    viewer = make_user("viewer")
    Membership.objects.create(organization=theirs["organization"], user=viewer, role=Role.VIEWER)
    client.force_login(viewer)

    assert "ifma.saoluis" in client.get(reverse("accounts:connected")).content.decode()
    url = reverse("accounts:disconnect", args=[theirs["credential"].pk])
    assert client.post(url, {"data": "delete"}).status_code == 403
    assert Credential.objects.filter(pk=theirs["credential"].pk).exists()
