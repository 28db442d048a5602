"""Owners and admins get Story API credentials themselves: the API access page and create_api_client."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Membership, Role
from publishing.models import ApiClient
from tests.publishing.conftest import Dealer, make_user, stories_url

pytestmark = pytest.mark.sqlite  # make run's default database: the partial unique key and the page's queries

SECRET = re.compile(r"<code data-secret>([^<]+)</code>")


def signed_in(dealer: Dealer) -> Client:
    browser = Client()
    browser.force_login(dealer.owner)
    return browser


def can_list(dealer: Dealer, client_id: str, secret: str) -> bool:
    api = APIClient()
    access = str(RefreshToken.for_user(dealer.owner).access_token)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}", HTTP_X_CLIENT_ID=client_id, HTTP_X_CLIENT_SECRET=secret)
    return api.get(stories_url(dealer.organization.pk)).status_code == 200


def page_url(dealer: Dealer) -> str:
    return f"/organizations/{dealer.organization.pk}/api-access/"


def test_an_owner_creates_a_client_and_sees_its_secret_once(dealer: Dealer) -> None:
    browser = signed_in(dealer)

    created = browser.post(
        page_url(dealer), {"name": "Loja virtual", "callback_url": "https://loja.example/cb"}, follow=True
    )

    client = ApiClient.objects.get(organization=dealer.organization)
    [secret] = SECRET.findall(created.content.decode())
    assert client.name == "Loja virtual" and client.callback_url == "https://loja.example/cb"
    assert can_list(dealer, client.client_id, secret)
    again = browser.get(page_url(dealer)).content.decode()
    assert secret not in again and client.client_id in again


def test_the_page_shows_the_dealer_id_the_page_id_and_curls_with_them(dealer: Dealer) -> None:
    browser = signed_in(dealer)
    browser.post(page_url(dealer), {"name": "Loja virtual"})

    html = browser.get(page_url(dealer)).content.decode()

    client = ApiClient.objects.get(organization=dealer.organization)
    assert f'<code id="dealer-id">{dealer.organization.pk}</code>' in html
    assert f"<code>{dealer.page_id}</code>" in html
    assert f"social-media/facebook/story/{dealer.organization.pk}/STORY_ID/insights" in html
    assert f"X-Client-ID: {client.client_id}" in html and f"&quot;page_id&quot;: &quot;{dealer.page_id}" in html
    assert "/api/story-api.md" in html


def test_rotating_gives_a_new_secret_and_revoking_stops_the_client(dealer: Dealer) -> None:
    browser = signed_in(dealer)
    [first] = SECRET.findall(browser.post(page_url(dealer), {"name": "Loja"}, follow=True).content.decode())
    client = ApiClient.objects.get(organization=dealer.organization)

    [second] = SECRET.findall(browser.post(f"{page_url(dealer)}{client.pk}/rotate/", follow=True).content.decode())

    assert not can_list(dealer, client.client_id, first) and can_list(dealer, client.client_id, second)
    browser.post(f"{page_url(dealer)}{client.pk}/", {"revoke": "on"})
    assert not can_list(dealer, client.client_id, second)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER])
def test_people_who_do_not_manage_the_organisation_cannot_open_it(dealer: Dealer, role: str) -> None:
    person = make_user(f"pessoa-{role}")
    Membership.objects.create(organization=dealer.organization, user=person, role=role)
    browser = Client()
    browser.force_login(person)

    assert browser.get(page_url(dealer)).status_code == 403
    assert browser.post(page_url(dealer), {"name": "x"}).status_code == 403
    assert not ApiClient.objects.exists()


def test_a_client_made_for_one_dealer_is_refused_by_another(dealer: Dealer) -> None:
    out = StringIO()
    call_command("create_api_client", "Script da loja", organization=dealer.organization.pk, stdout=out)
    other_org = type(dealer.organization).objects.create(name="OUTRA LOJA")
    Membership.objects.create(organization=other_org, user=dealer.owner, role=Role.OWNER)

    client_id, secret = (line.split(": ", 1)[1] for line in out.getvalue().splitlines())

    assert can_list(dealer, client_id, secret)
    api = APIClient()
    access = str(RefreshToken.for_user(dealer.owner).access_token)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}", HTTP_X_CLIENT_ID=client_id, HTTP_X_CLIENT_SECRET=secret)
    assert api.get(stories_url(other_org.pk)).status_code == 403


def test_the_guide_is_served_and_linked_from_the_swagger_page(client: Client) -> None:
    guide = client.get("/api/story-api.md")
    swagger = client.get("/api/docs/").content.decode()

    assert guide.status_code == 200 and guide["Content-Type"].startswith("text/markdown")
    assert "## 3. The walk" in guide.content.decode()
    assert 'href="/api/story-api.md"' in swagger
