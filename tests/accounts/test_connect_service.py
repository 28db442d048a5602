"""What a login leaves behind: the organization, one encrypted credential per token, the profiles,
webhook subscriptions at Meta and the backfill hook."""

from __future__ import annotations

from typing import Any

import pytest

from accounts import connect as connecting
from accounts import vault
from accounts.models import Credential, CredentialKind, CredentialStatus, Membership, Role
from collector.models import Profile

pytestmark = pytest.mark.django_db


def test_first_login_makes_the_person_owner_of_a_new_organization(make_user: Any) -> None:
    person = make_user("maria")
    organization = connecting.organization_for(person)
    assert Membership.objects.get(organization=organization, user=person).role == Role.OWNER
    assert connecting.organization_for(person) == organization


def test_instagram_login_stores_a_long_lived_encrypted_token_and_the_account(
    sandbox: Any, owner: Any, organization: Any, connect: Any
) -> None:
    [credential] = connect(organization, owner, "instagram", "ifma.imperatriz")

    credential.refresh_from_db()
    assert credential.kind == CredentialKind.INSTAGRAM_USER
    assert credential.status == CredentialStatus.ACTIVE
    assert credential.token.startswith("IGAA")
    assert credential.token not in credential.token_encrypted
    assert vault.decrypt(credential.token_encrypted) == credential.token
    assert credential.expires_in().days >= 58  # the 60-day token, not the 1-hour one
    assert "instagram_business_basic" in credential.scopes

    profile = Profile.objects.get(organization=organization, credential=credential)
    assert (profile.platform, profile.username) == ("instagram", "ifma.imperatriz")
    assert profile.meta_id == credential.subject_id
    assert sandbox.calls()["by_endpoint"].get("POST graph.instagram.com /me/subscribed_apps") == 1


def test_facebook_login_stores_user_and_page_tokens_and_both_assets(
    sandbox: Any, owner: Any, organization: Any, connect: Any
) -> None:
    credentials = connect(organization, owner, "facebook")

    kinds = {credential.kind: credential for credential in credentials}
    assert set(kinds) == {CredentialKind.FACEBOOK_USER, CredentialKind.PAGE}
    page = kinds[CredentialKind.PAGE]
    assert page.expires_at is None  # Page tokens from a long-lived user token do not expire
    assert page.token != kinds[CredentialKind.FACEBOOK_USER].token
    assert "pages_show_list" in kinds[CredentialKind.FACEBOOK_USER].scopes

    profiles = {p.platform: p for p in Profile.objects.filter(organization=organization)}
    assert profiles["facebook_page"].meta_id == page.subject_id
    assert profiles["instagram"].username == "ifma.saoluis"
    assert profiles["instagram"].page_id == page.subject_id
    assert profiles["instagram"].credential == page  # Page tokens reach the linked account
    endpoints = sandbox.calls()["by_endpoint"]
    assert any(key.startswith("POST graph.facebook.com") and "subscribed_apps" in key for key in endpoints)


def test_logging_in_again_updates_the_same_credential(owner: Any, organization: Any, connect: Any) -> None:
    [first] = connect(organization, owner, "instagram", "ifma.caxias")
    first.mark_needs_reconnect("expired")
    [again] = connect(organization, owner, "instagram", "ifma.caxias")

    assert again.pk == first.pk
    assert Credential.objects.filter(organization=organization).count() == 1
    assert again.status == CredentialStatus.ACTIVE
    assert again.last_error == ""
