"""The Credential admin's "Subscribe to webhooks again": a worker subscribes the Instagram account
or the Page at Meta (the sandbox), as connecting did."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Credential, CredentialKind, CredentialStatus, Organization
from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH, INSTAGRAM_GRAPH
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
CHANGELIST = "/admin/accounts/credential/"


def credential(organization: Organization, kind: str, subject_id: str, token: str) -> Credential:
    row = Credential(organization=organization, kind=kind, meta_user_id="1", subject_id=subject_id, name=subject_id)
    row.token = token
    row.save()
    return row


def subscribed_fields(client: GraphClient, path: str) -> list[str]:
    return [field for app in client.get(path)["data"] for field in app["subscribed_fields"]]




@pytest.fixture
def admin_client(client: Client, django_user_model: Any) -> Client:
    client.force_login(django_user_model.objects.create_superuser("suporte", password="x-long-password-7"))
    return client


def test_it_subscribes_the_instagram_account_and_the_page_again(
    celery_worker: None, sandbox: Any, admin_client: Client
) -> None:
    organization = Organization.objects.create(name="IFMA")
    instagram = sandbox.mint_token("instagram", "ifma.saoluis")
    facebook = sandbox.mint_token("facebook", "ifma.saoluis")
    account_id = str(instagram["ig_user_id"])
    selected = [
        credential(organization, CredentialKind.INSTAGRAM_USER, account_id, instagram["access_token"]),
        credential(organization, CredentialKind.PAGE, facebook["page_id"], facebook["page_access_token"]),
        credential(organization, CredentialKind.FACEBOOK_USER, str(facebook["user_id"]), facebook["access_token"]),
    ]
    as_account = GraphClient(instagram["access_token"], host=INSTAGRAM_GRAPH)
    as_page = GraphClient(facebook["page_access_token"], host=FACEBOOK_GRAPH)
    page_subscriptions = f"{facebook['page_id']}/subscribed_apps"
    assert subscribed_fields(as_account, "me/subscribed_apps") == []
    assert subscribed_fields(as_page, page_subscriptions) == []

    response = admin_client.post(
        CHANGELIST, {"action": "subscribe_webhooks", "_selected_action": [row.pk for row in selected]}, follow=True
    )

    assert "Subscriptions queued for 2 credentials" in response.content.decode()
    assert wait_for(lambda: subscribed_fields(as_account, "me/subscribed_apps")) == ["comments", "messages"]
    assert wait_for(lambda: subscribed_fields(as_page, page_subscriptions)) == ["feed"]


def test_a_revoked_token_marks_its_credential_for_reconnection(
    celery_worker: None, sandbox: Any, admin_client: Client
) -> None:
    organization = Organization.objects.create(name="IFMA")
    facebook = sandbox.mint_token("facebook", "ifma.saoluis")
    page = credential(organization, CredentialKind.PAGE, facebook["page_id"], facebook["page_access_token"])
    sandbox.fail(token=facebook["page_access_token"], mode="revoked")

    admin_client.post(CHANGELIST, {"action": "subscribe_webhooks", "_selected_action": [page.pk]})

    def needs_reconnect() -> bool:
        page.refresh_from_db()
        return page.status == CredentialStatus.NEEDS_RECONNECT

    assert wait_for(needs_reconnect)
    assert page.last_error
