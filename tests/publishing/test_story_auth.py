"""Who may call the Story API: a JWT and a registered client together, on dealers they belong to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Membership, Organization, Role
from publishing.models import ApiClient, Story
from tests.publishing.conftest import JPEG_B64, Dealer, RegisteredClient, headers_for, link_page, make_user, stories_url

INVALID = {"detail": "Token inválido ou expirado."}
NOT_PROVIDED = {"detail": "As credenciais de autenticação não foram fornecidas."}
FORBIDDEN = {"detail": "Você não tem permissão para executar essa ação."}


def calling(headers: dict[str, str]) -> APIClient:
    client = APIClient()
    client.credentials(**headers)
    return client


def test_a_wrong_client_secret_gets_401(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    headers = {**headers_for(dealer.owner, api_client_app), "HTTP_X_CLIENT_SECRET": "not-the-secret"}

    response = calling(headers).get(stories_url(dealer.organization.pk))

    assert response.status_code == 401
    assert response.json() == INVALID


def test_an_unknown_or_disabled_client_gets_401(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    unknown = {**headers_for(dealer.owner, api_client_app), "HTTP_X_CLIENT_ID": "nobody"}
    assert calling(unknown).get(stories_url(dealer.organization.pk)).json() == INVALID

    ApiClient.objects.filter(pk=api_client_app.client.pk).update(is_active=False)
    response = calling(headers_for(dealer.owner, api_client_app)).get(stories_url(dealer.organization.pk))

    assert response.status_code == 401 and response.json() == INVALID


@pytest.mark.parametrize("missing", ["HTTP_AUTHORIZATION", "HTTP_X_CLIENT_ID", "HTTP_X_CLIENT_SECRET"])
def test_a_token_without_its_client_or_a_client_without_a_token_gets_401(
    dealer: Dealer, api_client_app: RegisteredClient, missing: str
) -> None:
    headers = headers_for(dealer.owner, api_client_app)
    del headers[missing]

    response = calling(headers).get(stories_url(dealer.organization.pk))

    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED


def test_an_expired_token_gets_401(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    token = AccessToken.for_user(dealer.owner)
    token.set_exp(lifetime=-timedelta(seconds=1))
    headers = {**headers_for(dealer.owner, api_client_app), "HTTP_AUTHORIZATION": f"Bearer {token}"}

    response = calling(headers).get(stories_url(dealer.organization.pk))

    assert response.status_code == 401
    assert response.json() == INVALID


def test_the_client_secret_is_stored_hashed(api_client_app: RegisteredClient) -> None:
    stored = ApiClient.objects.get(pk=api_client_app.client.pk)

    assert api_client_app.secret not in stored.secret_hash
    assert stored.secret_hash.startswith("sha256$")
    assert stored.check_secret(api_client_app.secret) and not stored.check_secret(api_client_app.secret + "x")


def test_tokens_come_from_the_obtain_and_refresh_endpoints(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    pair = APIClient().post("/api/token/", {"username": "joao", "password": "s3nha-Forte!"}, format="json").json()
    refreshed = APIClient().post("/api/token/refresh/", {"refresh": pair["refresh"]}, format="json").json()
    headers = {**headers_for(dealer.owner, api_client_app), "HTTP_AUTHORIZATION": f"Bearer {refreshed['access']}"}

    response = calling(headers).get(stories_url(dealer.organization.pk))

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_an_outsiders_token_gets_403_on_another_dealer(
    dealer: Dealer, api_as: Callable[..., APIClient], db: None
) -> None:
    Story.objects.create(organization=dealer.organization, asset_type=1, page_id=dealer.page_id)
    outsider = make_user("outsider")
    other_store = Organization.objects.create(name="Outra Loja")
    Membership.objects.create(organization=other_store, user=outsider, role=Role.OWNER)
    api = api_as(outsider)
    story = dealer.organization.stories.get()

    for response in (
        api.get(stories_url(dealer.organization.pk)),
        api.get(stories_url(dealer.organization.pk, story.pk)),
        api.post(stories_url(dealer.organization.pk), {"asset_type": 1, "page_id": dealer.page_id}, format="json"),
        api.delete(stories_url(dealer.organization.pk, story.pk)),
    ):
        assert response.status_code == 403
        assert response.json() == FORBIDDEN
    assert api.get(stories_url(other_store.pk)).status_code == 200
    assert Story.objects.filter(pk=story.pk).exists()


def test_a_dealer_that_does_not_exist_is_forbidden_not_revealed(dealer: Dealer, api: APIClient) -> None:
    response = api.get(stories_url(987654))

    assert response.status_code == 403 and response.json() == FORBIDDEN


def test_a_viewer_reads_the_dealers_stories_but_cannot_change_them(
    dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    viewer = make_user("viewer")
    Membership.objects.create(organization=dealer.organization, user=viewer, role=Role.VIEWER)
    api = api_as(viewer)

    assert api.get(stories_url(dealer.organization.pk)).status_code == 200
    response = api.post(
        stories_url(dealer.organization.pk),
        {"asset_type": 1, "page_id": dealer.page_id, "asset_base64": JPEG_B64},
        format="json",
    )

    assert response.status_code == 403 and response.json() == FORBIDDEN
    assert not Story.objects.exists()


def test_a_story_of_another_dealer_is_not_found_through_ones_own_dealer(dealer: Dealer, api: APIClient) -> None:
    other = Organization.objects.create(name="Outra Loja")
    link_page(other, "555")
    foreign = Story.objects.create(organization=other, asset_type=1, page_id="555")

    response = api.get(stories_url(dealer.organization.pk, foreign.pk))

    assert response.status_code == 404
    assert response.json() == {"detail": "Não encontrado."}


def test_facebook_and_instagram_stories_are_listed_apart(dealer: Dealer, api: APIClient) -> None:
    Story.objects.create(organization=dealer.organization, asset_type=1, page_id=dealer.page_id)
    Story.objects.create(organization=dealer.organization, asset_type=1, page_id=dealer.page_id, channel="instagram")

    facebook = api.get(stories_url(dealer.organization.pk)).json()
    instagram = api.get(stories_url(dealer.organization.pk, channel="instagram")).json()

    assert facebook["count"] == 1 and instagram["count"] == 1
    assert facebook["results"][0]["id"] != instagram["results"][0]["id"]
