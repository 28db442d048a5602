"""Organizations and roles: invite by link, roles changed by owners and admins, one owner kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Invite, Membership, Role

pytestmark = pytest.mark.django_db


def test_an_invite_link_makes_the_person_a_member_with_its_role(
    client: Any, owner: Any, organization: Any, make_user: Any
) -> None:
    client.force_login(owner)
    response = client.post(reverse("accounts:create_invite", args=[organization.pk]), {"role": Role.ANALYST})
    invite = Invite.objects.get()
    link = reverse("accounts:invite", args=[invite.code])
    assert link in client.get(response.url).content.decode()

    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    assert "You are invited as Analyst" in client.get(link).content.decode()
    client.post(link)

    membership = Membership.objects.get(organization=organization, user=newcomer)
    assert membership.role == Role.ANALYST and membership.can_act and not membership.can_manage
    assert not Invite.objects.open().exists()
    assert "expired or was already used" in client.get(link).content.decode()


def test_someone_logged_out_is_asked_to_log_in_first(client: Any, owner: Any, organization: Any) -> None:
    client.force_login(owner)
    client.post(reverse("accounts:create_invite", args=[organization.pk]), {"role": Role.VIEWER})
    client.logout()
    page = client.get(reverse("accounts:invite", args=[Invite.objects.get().code])).content.decode()
    assert "Log in first" in page
    assert reverse("facebook_login") in page and reverse("instagram_business_login") in page


def test_a_viewer_cannot_invite_nor_change_roles(client: Any, owner: Any, organization: Any, make_user: Any) -> None:
    viewer = make_user("viewer")
    membership = Membership.objects.create(organization=organization, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)

    assert client.post(reverse("accounts:create_invite", args=[organization.pk]), {"role": "admin"}).status_code == 403
    url = reverse("accounts:change_role", args=[organization.pk, membership.pk])
    assert client.post(url, {"role": Role.ADMIN}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER and not membership.can_act


def test_an_owner_changes_roles_but_the_last_owner_stays(
    client: Any, owner: Any, organization: Any, make_user: Any
) -> None:
    analyst = make_user("analyst")
    membership = Membership.objects.create(organization=organization, user=analyst, role=Role.ANALYST)
    client.force_login(owner)

    client.post(reverse("accounts:change_role", args=[organization.pk, membership.pk]), {"role": Role.VIEWER})
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER

    own = Membership.objects.get(organization=organization, user=owner)
    client.post(reverse("accounts:change_role", args=[organization.pk, own.pk]), {"role": Role.VIEWER})
    own.refresh_from_db()
    assert own.role == Role.OWNER
