"""The token lifecycle: the daily check, Instagram refresh, expiry reminders, and 190 anywhere."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import tasks, token_errors
from accounts.models import Credential, CredentialKind, CredentialStatus
from meta.errors import MetaError, PermissionMissing
from tests.waiting import wait_for


def expired_instagram_credential(sandbox: Any, owner: Any, organization: Any, connect: Any, minted: Any) -> Credential:
    """Connected while valid, then expired at the sandbox (every call with it now gets 190/463)."""
    [credential] = connect(organization, owner, "instagram", "ifma.caxias")
    sandbox.fail(token=credential.token, mode="expired")
    return credential


def expired_facebook_credential(sandbox: Any, owner: Any, organization: Any, connect: Any, minted: Any) -> Credential:
    """A Facebook user token we still believe valid that the sandbox holds as expired.

    (The sandbox's failure rules apply to calls made with a token, not to what debug_token reports
    about it, so the token is minted already expired instead.)"""
    token = minted("facebook", expires_in_days=0)
    credential = Credential(
        organization=organization,
        user=owner,
        kind=CredentialKind.FACEBOOK_USER,
        meta_user_id=token["user_id"],
        subject_id=token["user_id"],
        name="Pesquisadora IFMA",
        expires_at=timezone.now() + timedelta(days=50),
    )
    credential.token = token["access_token"]
    credential.save()
    return credential


@pytest.mark.parametrize("make_expired", [expired_instagram_credential, expired_facebook_credential])
def test_an_expired_token_is_marked_needs_reconnect_by_the_daily_check_and_never_called_again(
    transactional_db: None,
    sandbox: Any,
    celery_worker: None,
    owner: Any,
    organization: Any,
    connect: Any,
    minted: Any,
    client: Any,
    make_expired: Any,
) -> None:
    credential = make_expired(sandbox, owner, organization, connect, minted)

    tasks.check_credentials.delay().get(timeout=30)
    wait_for(lambda: Credential.objects.get(pk=credential.pk).status == CredentialStatus.NEEDS_RECONNECT)

    client.force_login(owner)
    page = client.get(reverse("accounts:connected")).content.decode()
    assert "Collection for it has stopped until you reconnect" in page
    assert 'class="banner banner-error"' in page

    token = credential.token
    sandbox.reset_calls()
    tasks.check_credentials.delay().get(timeout=30)
    tasks.refresh_instagram_tokens.delay().get(timeout=30)
    time.sleep(1)  # let any stray per-credential check finish
    assert sandbox.calls(token)["total"] == 0


def ig_credential(organization: Any, minted: Any, *, age_hours: float, expires_in_days: float) -> Credential:
    token = minted("instagram", "ifma.imperatriz", age_hours=age_hours, expires_in_days=expires_in_days)
    now = timezone.now()
    credential = Credential(
        organization=organization,
        kind=CredentialKind.INSTAGRAM_USER,
        meta_user_id=token["user_id"],
        subject_id=token["ig_user_id"],
        name="ifma.imperatriz",
        issued_at=now - timedelta(hours=age_hours),
        expires_at=now + timedelta(days=expires_in_days),
    )
    credential.token = token["access_token"]
    credential.save()
    return credential


@pytest.mark.django_db
def test_an_instagram_token_25_hours_old_and_5_days_from_expiry_is_refreshed_for_60_days(
    sandbox: Any, organization: Any, minted: Any
) -> None:
    credential = ig_credential(organization, minted, age_hours=25, expires_in_days=5)
    old_token = credential.token

    assert tasks.refresh_instagram_tokens() == 1

    credential.refresh_from_db()
    assert credential.token != old_token
    assert timedelta(days=59) < credential.expires_in() <= timedelta(days=60)
    assert credential.status == CredentialStatus.ACTIVE


@pytest.mark.django_db
def test_an_instagram_token_2_hours_old_is_left_alone(sandbox: Any, organization: Any, minted: Any) -> None:
    credential = ig_credential(organization, minted, age_hours=2, expires_in_days=5)
    sandbox.reset_calls()

    assert tasks.refresh_instagram_tokens() == 0

    credential.refresh_from_db()
    assert credential.expires_in() < timedelta(days=6)
    assert sandbox.calls()["total"] == 0


@pytest.mark.django_db
def test_an_instagram_token_11_days_from_expiry_waits_for_the_10_day_window(
    sandbox: Any, organization: Any, minted: Any
) -> None:
    credential = ig_credential(organization, minted, age_hours=25, expires_in_days=11)
    sandbox.reset_calls()

    assert tasks.refresh_instagram_tokens() == 0

    credential.refresh_from_db()
    assert credential.expires_in() < timedelta(days=12)
    assert sandbox.calls()["total"] == 0


@pytest.mark.django_db
def test_a_facebook_token_is_reminded_by_email_and_banner_at_14_7_and_1_days(
    sandbox: Any, owner: Any, organization: Any, connect: Any, client: Any
) -> None:
    user_credential = next(c for c in connect(organization, owner, "facebook") if c.kind == "fb_user")

    def days_left(days: float) -> None:
        Credential.objects.filter(pk=user_credential.pk).update(expires_at=timezone.now() + timedelta(days=days))

    days_left(20)
    assert tasks.send_expiry_reminders() == 0
    days_left(13.5)
    assert tasks.send_expiry_reminders() == 1
    assert tasks.send_expiry_reminders() == 0  # once per threshold
    days_left(6.5)
    assert tasks.send_expiry_reminders() == 1
    days_left(0.5)
    assert tasks.send_expiry_reminders() == 1

    assert [message.to for message in mail.outbox] == [["owner@example.org"]] * 3
    assert "expires in 13 days" in mail.outbox[0].body
    client.force_login(owner)
    page = client.get(reverse("accounts:connected")).content.decode()
    assert "expires in 0 days" in page or "expires in 0 day" in page
    assert 'class="banner banner-warning"' in page


@pytest.mark.django_db
def test_error_190_anywhere_marks_the_credential_and_stops_its_scheduled_work(
    sandbox: Any, owner: Any, organization: Any, connect: Any
) -> None:
    [credential] = connect(organization, owner, "instagram", "ifma.caxias")
    sandbox.fail(token=credential.token, mode="revoked")

    with pytest.raises(MetaError) as raised:
        credential.graph_client().get("me/media")
    assert token_errors.handle_token_error(credential, raised.value) is True

    assert Credential.objects.get(pk=credential.pk).status == CredentialStatus.NEEDS_RECONNECT
    assert not Credential.objects.usable().filter(pk=credential.pk).exists()


@pytest.mark.django_db
def test_a_missing_permission_asks_again_for_it_on_reconnect(
    sandbox: Any, owner: Any, organization: Any, connect: Any, client: Any
) -> None:
    credential = next(c for c in connect(organization, owner, "facebook") if c.kind == "page")
    error = PermissionMissing("(#200) Requires pages_manage_posts permission", code=200)
    token_errors.handle_token_error(credential, error)

    client.force_login(owner)
    page = client.get(reverse("accounts:connected")).content.decode()
    assert "is missing permissions" in page
    assert "?action=rerequest" in page
