"""Every example of the Story API contract (seeds/003), request and response, status and body."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import Membership, Organization, Role
from publishing.models import Story
from tests.publishing.conftest import JPEG_B64, MP4_B64, headers_for, link_page

HOST = "media.integradordeanuncios.com.br"

PUBLISHED = {
    "id": 1,
    "dealer_id": 10,
    "dealer_name": "LOJA TESTE",
    "ad_id": 12345,
    "asset": "https://media.integradordeanuncios.com.br/media/facebook_story/story_1.jpg",
    "asset_type": 1,
    "asset_type_display": "Imagem",
    "asset_id": "facebook_asset_123",
    "user_id": 1,
    "user_name": "João Silva",
    "created_at": "2024-01-15T10:30:00Z",
    "published_at": "2024-01-15T10:35:00Z",
    "status": 2,
    "status_display": "Publicado",
    "error": None,
    "page_id": "123456789",
    "facebook_post_id": "987654321",
    "facebook_publish_status": 2,
    "facebook_publish_status_display": "Publicado",
    "story_url": "https://www.facebook.com/stories/987654321",
}
QUEUED = {
    "id": 2,
    "dealer_id": 10,
    "dealer_name": "LOJA TESTE",
    "ad_id": 12346,
    "asset": "https://media.integradordeanuncios.com.br/media/facebook_story/story_2.mp4",
    "asset_type": 2,
    "asset_type_display": "Vídeo",
    "asset_id": "facebook_asset_124",
    "user_id": 1,
    "user_name": "João Silva",
    "created_at": "2024-01-16T14:20:00Z",
    "published_at": None,
    "status": 1,
    "status_display": "Na Fila",
    "error": None,
    "page_id": "123456789",
    "facebook_post_id": None,
    "facebook_publish_status": 1,
    "facebook_publish_status_display": "Na Fila",
    "story_url": None,
}
IMAGE_PAYLOAD = {
    "ad_id": 12345,
    "asset_type": 1,
    "page_id": "123456789",
    "asset_base64": "...",
    "status": 1,
    "facebook_publish_status": 1,
}
VIDEO_PAYLOAD = {
    "ad_id": 12345,
    "asset_type": 2,
    "page_id": "123456789",
    "asset_base64": "data:video/mp4;base64,AAAAIGZ0eXBpc29t...",
    "status": 1,
    "facebook_publish_status": 1,
}
PUT_PAYLOAD = {
    "ad_id": 12345,
    "asset_type": 1,
    "page_id": "123456789",
    "asset_base64": "...",
    "status": 2,
    "facebook_publish_status": 2,
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@pytest.fixture
def contract(db: None, settings: Any) -> dict[str, Any]:
    """The contract's world: dealer 10 "LOJA TESTE", user 1 João Silva, Page 123456789, stories 1 and 2."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    dealer = Organization.objects.create(id=10, name="LOJA TESTE")
    joao = User.objects.create_user("joao", id=1, first_name="João", last_name="Silva")
    Membership.objects.create(organization=dealer, user=joao, role=Role.OWNER)
    link_page(dealer, "123456789")
    for example, name in ((PUBLISHED, "facebook_story/story_1.jpg"), (QUEUED, "facebook_story/story_2.mp4")):
        Story.objects.create(
            id=example["id"],
            organization=dealer,
            user=joao,
            asset=name,
            ad_id=example["ad_id"],
            asset_type=example["asset_type"],
            asset_id=example["asset_id"],
            page_id=example["page_id"],
            status=example["status"],
            facebook_publish_status=example["facebook_publish_status"],
            facebook_post_id=example["facebook_post_id"],
            story_url=example["story_url"],
            created_at=at(example["created_at"]),
            published_at=example["published_at"] and at(example["published_at"]),
        )
    # Explicit ids above; move the sequences past them for the rows the tests create.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Organization, User, Story]):
            cursor.execute(sql)
    return {"dealer": dealer, "user": joao}


@pytest.fixture
def joao_api(contract: dict[str, Any], api_client_app: Any) -> APIClient:
    client = APIClient(HTTP_HOST=HOST)
    client.credentials(**headers_for(contract["user"], api_client_app))
    return client


def get(client: APIClient, url: str) -> Any:
    return client.get(url, secure=True)


def created_matches(body: dict[str, Any], **expected: Any) -> None:
    """A story object of the contract's shape: its keys, generated values by form, the rest by value."""
    assert list(body) == list(PUBLISHED)
    assert isinstance(body["id"], int)
    assert TIMESTAMP.match(body["created_at"])
    assert body["dealer_id"] == 10 and body["dealer_name"] == "LOJA TESTE"
    assert body["user_id"] == 1 and body["user_name"] == "João Silva"
    for key, value in expected.items():
        assert body[key] == value, key


def test_the_list_example_comes_back_newest_first_in_the_paginated_shape(joao_api: APIClient) -> None:
    response = get(joao_api, "/social-media/facebook/story/10")

    assert response.status_code == 200
    # The contract's rule "mais recentes primeiro" wins over its example's order (1 before 2).
    assert response.json() == {"count": 2, "next": None, "previous": None, "results": [QUEUED, PUBLISHED]}


def test_the_detail_example_comes_back_exactly(joao_api: APIClient) -> None:
    response = get(joao_api, "/social-media/facebook/story/10/1")

    assert response.status_code == 200
    assert response.json() == PUBLISHED


def test_the_image_example_creates_a_queued_story_with_an_absolute_asset_url(joao_api: APIClient) -> None:
    payload = {**IMAGE_PAYLOAD, "asset_base64": JPEG_B64}

    response = joao_api.post("/social-media/facebook/story/10", payload, format="json", secure=True)

    assert response.status_code == 201
    body = response.json()
    created_matches(
        body,
        ad_id=12345,
        asset_type=1,
        asset_type_display="Imagem",
        asset_id="",
        published_at=None,
        status=1,
        status_display="Na Fila",
        error=None,
        page_id="123456789",
        facebook_post_id=None,
        facebook_publish_status=1,
        facebook_publish_status_display="Na Fila",
        story_url=None,
    )
    assert re.match(rf"^https://{re.escape(HOST)}/media/facebook_story/[0-9a-f]{{32}}\.jpg$", body["asset"])
    assert get(joao_api, f"/social-media/facebook/story/10/{body['id']}").json() == body


def test_the_video_example_with_its_data_prefix_creates_a_video_story(joao_api: APIClient) -> None:
    prefix = VIDEO_PAYLOAD["asset_base64"].removesuffix("...")
    assert MP4_B64.startswith("AAAAIGZ0eXBpc29t")  # the example's bytes are a real MP4 ftyp box
    payload = {**VIDEO_PAYLOAD, "asset_base64": prefix + MP4_B64.removeprefix("AAAAIGZ0eXBpc29t")}

    response = joao_api.post("/social-media/facebook/story/10", payload, format="json", secure=True)

    assert response.status_code == 201
    body = response.json()
    created_matches(body, asset_type=2, asset_type_display="Vídeo", status=1, page_id="123456789")
    assert body["asset"].endswith(".mp4")


@pytest.mark.parametrize("payload", [IMAGE_PAYLOAD, VIDEO_PAYLOAD], ids=["image", "video"])
def test_the_examples_literal_ellipsis_is_the_contracts_base64_error(joao_api: APIClient, payload: dict) -> None:
    response = joao_api.post("/social-media/facebook/story/10", payload, format="json", secure=True)

    assert response.status_code == 400
    assert response.json() == {"error": "Error processing base64 image: Invalid base64 string"}
    assert Story.objects.count() == 2


def test_the_put_example_replaces_the_whole_story(joao_api: APIClient) -> None:
    payload = {**PUT_PAYLOAD, "asset_base64": JPEG_B64}

    response = joao_api.put("/social-media/facebook/story/10/2", payload, format="json", secure=True)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == 2
    created_matches(
        body,
        ad_id=12345,
        asset_type=1,
        asset_type_display="Imagem",
        status=2,
        status_display="Publicado",
        facebook_publish_status=2,
        facebook_publish_status_display="Publicado",
        created_at="2024-01-16T14:20:00Z",
    )
    assert body["asset"].endswith(".jpg")


def test_the_patch_example_changes_only_the_statuses(joao_api: APIClient) -> None:
    response = joao_api.patch(
        "/social-media/facebook/story/10/2", {"status": 2, "facebook_publish_status": 2}, format="json", secure=True
    )

    assert response.status_code == 200
    assert response.json() == {
        **QUEUED,
        "status": 2,
        "status_display": "Publicado",
        "facebook_publish_status": 2,
        "facebook_publish_status_display": "Publicado",
    }


def test_a_page_of_another_dealer_is_the_contracts_page_id_error(joao_api: APIClient) -> None:
    payload = {**IMAGE_PAYLOAD, "page_id": "invalid_page_id", "asset_base64": JPEG_B64}

    response = joao_api.post("/social-media/facebook/story/10", payload, format="json", secure=True)

    assert response.status_code == 400
    assert response.json() == {"page_id": ["Page ID 'invalid_page_id' does not belong to dealer ID '10'"]}


def test_missing_required_fields_are_named_in_portuguese(joao_api: APIClient) -> None:
    response = joao_api.post(
        "/social-media/facebook/story/10", {}, format="json", secure=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"asset_type": ["Este campo é obrigatório."], "page_id": ["Este campo é obrigatório."]}


def test_no_credentials_is_the_contracts_first_401(contract: dict[str, Any]) -> None:
    response = APIClient().get("/social-media/facebook/story/10")

    assert response.status_code == 401
    assert response.json() == {"detail": "As credenciais de autenticação não foram fornecidas."}


def test_a_bad_token_is_the_contracts_second_401(contract: dict[str, Any], api_client_app: Any) -> None:
    client = APIClient()
    client.credentials(**{**headers_for(contract["user"], api_client_app), "HTTP_AUTHORIZATION": "Bearer not.a.jwt"})

    response = client.get("/social-media/facebook/story/10")

    assert response.status_code == 401
    assert response.json() == {"detail": "Token inválido ou expirado."}


def test_a_dealer_the_user_does_not_manage_is_the_contracts_403(contract: dict[str, Any], api_client_app: Any) -> None:
    Organization.objects.create(id=11, name="OUTRA LOJA")
    client = APIClient()
    client.credentials(**headers_for(contract["user"], api_client_app))

    response = client.get("/social-media/facebook/story/11")

    assert response.status_code == 403
    assert response.json() == {"detail": "Você não tem permissão para executar essa ação."}


def test_an_unknown_story_is_the_contracts_404(joao_api: APIClient) -> None:
    response = get(joao_api, "/social-media/facebook/story/10/999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Não encontrado."}


@pytest.mark.parametrize("path", ["/social-media/facebook/story/", "/social-media/facebook/story"])
def test_no_dealer_in_the_url_is_the_contracts_400(joao_api: APIClient, path: str) -> None:
    response = get(joao_api, path)

    assert response.status_code == 400
    assert response.json() == {"detail": "Parâmetro ID da Loja não encontrado"}
