"""Webhook tests: the sandbox's accounts as our profiles, and signed deliveries of the fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Credential, CredentialKind, Membership, Organization, Role
from collector.models import Platform, Profile
from meta.signing import sign_body
from webhooks.models import EventStatus, WebhookEvent
from webhooks.tasks import process_event

FIXTURES = Path(__file__).parent / "fixtures"
IG_ACCOUNT_ID = "17841400000000001"  # the sandbox's ifma.saoluis
PAGE_ID = "20000000000000001"  # the sandbox's Page, linked to ifma.saoluis


def fixture_body(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def post_signed(client: Client, body: bytes, secret: str | None = None, **headers: str) -> Any:
    signature = sign_body(body, secret or settings.META_APP_SECRET)
    return client.post(
        "/webhooks/meta/", body, content_type="application/json", headers={"X-Hub-Signature-256": signature, **headers}
    )


def process_stored() -> list[str]:
    """What the webhooks worker does for each stored delivery, run here in order."""
    pending = WebhookEvent.objects.filter(status=EventStatus.RECEIVED).order_by("pk")
    return [process_event(event_id) for event_id in pending.values_list("pk", flat=True)]


def deliver(client: Client, *names: str) -> None:
    for name in names:
        assert post_signed(client, fixture_body(name)).status_code == 200, name
    process_stored()


@pytest.fixture
def organization(django_user_model: Any) -> Organization:
    organization = Organization.objects.create(name="IFMA Monte Castelo")
    user = django_user_model.objects.create_user("pesquisadora", password="x-long-password-1")
    Membership.objects.create(organization=organization, user=user, role=Role.ADMIN)
    return organization


@pytest.fixture
def member(organization: Organization) -> Any:
    return organization.members.get()


@pytest.fixture
def ig_credential(organization: Organization) -> Credential:
    credential = Credential(
        organization=organization, kind=CredentialKind.PAGE, meta_user_id="10000000000000001", subject_id=PAGE_ID
    )
    credential.token = "EAA-not-used-by-these-tests"
    credential.save()
    return credential


@pytest.fixture
def profile(organization: Organization, ig_credential: Credential) -> Profile:
    return Profile.objects.create(
        organization=organization,
        credential=ig_credential,
        platform=Platform.INSTAGRAM,
        meta_id=IG_ACCOUNT_ID,
        page_id=PAGE_ID,
        username="ifma.saoluis",
    )


@pytest.fixture
def page_profile(organization: Organization, ig_credential: Credential) -> Profile:
    return Profile.objects.create(
        organization=organization,
        credential=ig_credential,
        platform=Platform.FACEBOOK_PAGE,
        meta_id=PAGE_ID,
        name="IFMA Campus São Luís - Monte Castelo",
    )


def payload(name: str) -> dict[str, Any]:
    return json.loads(fixture_body(name))


ARTIFACTS_NOTE = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "webhooks-live-latency.txt"
