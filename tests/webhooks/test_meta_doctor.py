"""`manage.py meta_doctor` against the sandbox: silent-pass when the app, its webhooks and every
credential are as the project expects; for each way of getting them wrong, it names the problem
and exits non-zero."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import requests
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import Credential, CredentialKind, Organization
from collector.models import Platform, Profile
from meta import oauth
from meta.client import GraphClient
from meta.conf import FACEBOOK_GRAPH, INSTAGRAM_GRAPH, MetaConfig
from webhooks.dispatch import HANDLERS

pytestmark = pytest.mark.django_db
CALLBACK = "http://127.0.0.1:8000/webhooks/meta/"
INSTAGRAM_FIELDS = sorted(set(HANDLERS) - {"feed"})


def app_client() -> GraphClient:
    return GraphClient(f"{settings.META_APP_ID}|{settings.META_APP_SECRET}", host=FACEBOOK_GRAPH)


def subscribe_app(obj: str, fields: list[str], callback_url: str = CALLBACK) -> None:
    """The app-level subscription, set the way a lab would: `POST /{app-id}/subscriptions`."""
    app_client().post(
        f"{settings.META_APP_ID}/subscriptions",
        {"object": obj, "callback_url": callback_url, "fields": ",".join(fields), "verify_token": "x"},
    )


def switch(sandbox: Any, **entry: Any) -> None:
    """The sandbox's control switch for what the Graph API cannot set (an inactive subscription)."""
    requests.post(f"{sandbox.url}/_sandbox/app/subscriptions", json=entry, timeout=10).raise_for_status()


def stored(organization: Organization, kind: str, subject_id: str, token: str, scopes: list[str]) -> Credential:
    credential = Credential(
        organization=organization, kind=kind, meta_user_id="1", subject_id=subject_id, name=subject_id, scopes=scopes
    )
    credential.token = token
    credential.save()
    return credential


@pytest.fixture
def lab(sandbox: Any, settings: Any) -> dict[str, Any]:
    """A lab that did everything right: app subscribed, an Instagram Login account and a Page
    (with its Instagram account) connected and subscribed."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    organization = Organization.objects.create(name="IFMA")
    instagram = sandbox.mint_token("instagram", "ifma.imperatriz")
    facebook = sandbox.mint_token("facebook", "ifma.saoluis")
    ig_id = str(instagram["ig_user_id"])
    ig_credential = stored(organization, CredentialKind.INSTAGRAM_USER, ig_id, instagram["access_token"], [])
    page = stored(organization, CredentialKind.PAGE, facebook["page_id"], facebook["page_access_token"], [])
    for credential, meta_id in ((ig_credential, ig_id), (page, str(facebook["ig_user_id"]))):
        Profile.objects.create(
            organization=organization, credential=credential, platform=Platform.INSTAGRAM, meta_id=meta_id
        )
    subscribe_app("instagram", INSTAGRAM_FIELDS)
    subscribe_app("page", ["feed"])
    config = MetaConfig.from_settings()
    oauth.subscribe_instagram(instagram["access_token"], config)
    oauth.subscribe_page(facebook["page_id"], facebook["page_access_token"], config)
    return {"instagram": instagram, "facebook": facebook, "organization": organization, "settings": settings}


def doctor() -> tuple[bool, str]:
    """(passed, output) of one run of the command."""
    out = StringIO()
    try:
        call_command("meta_doctor", stdout=out, no_color=True)
    except CommandError as exc:
        return False, f"{out.getvalue()}\n{exc}"
    return True, out.getvalue()


def failures(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("FAIL")]


def test_it_passes_a_lab_whose_app_webhooks_and_credentials_are_right(lab: dict[str, Any]) -> None:
    passed, output = doctor()
    assert passed, output
    assert failures(output) == []
    assert "PASS  App credentials" in output
    assert "PASS  Webhook subscription (instagram)" in output
    assert "PASS  Webhook subscription (page)" in output
    assert output.count("PASS  Token of credential") == 2
    assert output.count("PASS  Webhooks of credential") == 2
    # one read per collector endpoint, for each of the two accounts
    for what in ("profile", "media", "comments", "media insights", "stories", "account insights"):
        assert output.count(f"PASS  Read {what} of ") == 2, what
    assert "X-Business-Use-Case-Usage" in output
    assert "0 failed" in output


def _missing_field(sandbox: Any, lab: dict[str, Any]) -> None:
    switch(sandbox, object="instagram", fields=[f for f in INSTAGRAM_FIELDS if f != "mentions"])


def _wrong_callback(sandbox: Any, lab: dict[str, Any]) -> None:
    subscribe_app("page", ["feed"], callback_url="https://old-lab.example.org/hooks/")


def _inactive(sandbox: Any, lab: dict[str, Any]) -> None:
    switch(sandbox, object="instagram", active=False)


def _not_subscribed(sandbox: Any, lab: dict[str, Any]) -> None:
    GraphClient(lab["facebook"]["page_access_token"], host=FACEBOOK_GRAPH).delete(
        f"{lab['facebook']['page_id']}/subscribed_apps"
    )


def _revoked(sandbox: Any, lab: dict[str, Any]) -> None:
    GraphClient(lab["instagram"]["access_token"], host=INSTAGRAM_GRAPH).delete("me/permissions")


def _wrong_secret(sandbox: Any, lab: dict[str, Any]) -> None:
    lab["settings"].META_APP_SECRET = "the-secret-before-it-was-reset"


def _scope_missing(sandbox: Any, lab: dict[str, Any]) -> None:
    narrow = sandbox.mint_token("instagram", "ifma.caxias", scopes=["instagram_business_basic"])
    stored(lab["organization"], CredentialKind.INSTAGRAM_USER, str(narrow["ig_user_id"]), narrow["access_token"], [])


@pytest.mark.parametrize(
    ("misconfigure", "problem"),
    [
        (_missing_field, "Webhook subscription (instagram): fields missing: mentions"),
        (_wrong_callback, "callback_url is 'https://old-lab.example.org/hooks/', expected '" + CALLBACK + "'"),
        (_inactive, "Webhook subscription (instagram): the subscription is inactive"),
        (_not_subscribed, "not subscribed to the app: no webhook will arrive for it"),
        (_revoked, "invalid: Error validating access token: The user has not authorized application"),
        (_wrong_secret, "App credentials: Meta refused them: Error validating client secret."),
        (_scope_missing, "scopes not granted: instagram_business_manage_insights"),
    ],
    ids=["missing field", "wrong callback", "inactive", "asset not subscribed", "revoked", "wrong secret", "scope"],
)
def test_it_names_each_wrong_configuration_and_fails(
    lab: dict[str, Any], sandbox: Any, misconfigure: Callable[[Any, dict[str, Any]], None], problem: str
) -> None:
    misconfigure(sandbox, lab)
    passed, output = doctor()
    assert not passed
    named = [line for line in failures(output) if problem in line]
    assert named, output
    fix = output.splitlines()[output.splitlines().index(named[0]) + 1]
    assert fix.strip().startswith("what to do:")
