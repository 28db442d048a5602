"""OpenAPI for the Story API: the contract's security headers, error bodies and examples."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from publishing.authentication import INVALID, NOT_PROVIDED
from publishing.permissions import FORBIDDEN
from publishing.serializers import BASE64_ERROR, DetailSerializer, PaginatedStoryListSerializer, StorySerializer


class ClientJWTScheme(OpenApiAuthenticationExtension):
    """All three headers at once (one security requirement object = AND)."""

    target_class = "publishing.authentication.ClientJWTAuthentication"
    name = ["jwtAuth", "clientId", "clientSecret"]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [
            build_bearer_security_scheme_object(
                header_name="HTTP_AUTHORIZATION", token_prefix="Bearer", bearer_format="JWT"
            ),
            {"type": "apiKey", "in": "header", "name": "X-Client-ID"},
            {"type": "apiKey", "in": "header", "name": "X-Client-Secret"},
        ]


STORY_PUBLISHED = {
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
STORY_QUEUED = {
    **STORY_PUBLISHED,
    "id": 2,
    "ad_id": 12346,
    "asset": "https://media.integradordeanuncios.com.br/media/facebook_story/story_2.mp4",
    "asset_type": 2,
    "asset_type_display": "Vídeo",
    "asset_id": "facebook_asset_124",
    "created_at": "2024-01-16T14:20:00Z",
    "published_at": None,
    "status": 1,
    "status_display": "Na Fila",
    "facebook_post_id": None,
    "facebook_publish_status": 1,
    "facebook_publish_status_display": "Na Fila",
    "story_url": None,
}

DEALER_ID = OpenApiParameter("dealer_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="ID da loja")
STORY_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="ID do story")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Até 255 caracteres: um POST repetido com a mesma chave responde o primeiro story (docs/story-api.md)",
)

LIST_EXAMPLE = OpenApiExample(
    "Lista de Stories",
    value={"count": 2, "next": None, "previous": None, "results": [STORY_PUBLISHED, STORY_QUEUED]},
    response_only=True,
    status_codes=["200"],
)
DETAIL_EXAMPLE = OpenApiExample("Detalhe de um Story", value=STORY_PUBLISHED, response_only=True, status_codes=["200"])
CREATED_EXAMPLE = OpenApiExample(
    "Story criado", value={**STORY_QUEUED, "id": 3}, response_only=True, status_codes=["201"]
)
IMAGE_REQUEST = OpenApiExample(
    "Exemplo com Imagem",
    value={
        "ad_id": 12345,
        "asset_type": 1,
        "page_id": "123456789",
        "asset_base64": "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ...",
        "status": 1,
        "facebook_publish_status": 1,
    },
    request_only=True,
)
VIDEO_REQUEST = OpenApiExample(
    "Exemplo com Vídeo",
    value={
        "ad_id": 12345,
        "asset_type": 2,
        "page_id": "123456789",
        "asset_base64": "data:video/mp4;base64,AAAAIGZ0eXBpc29t...",
        "status": 1,
        "facebook_publish_status": 1,
    },
    request_only=True,
)
PUT_REQUEST = OpenApiExample(
    "Atualização completa",
    value={
        "ad_id": 12345,
        "asset_type": 1,
        "page_id": "123456789",
        "asset_base64": "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ...",
        "status": 2,
        "facebook_publish_status": 2,
    },
    request_only=True,
)
PATCH_REQUEST = OpenApiExample(
    "Atualização parcial", value={"status": 2, "facebook_publish_status": 2}, request_only=True
)

ERROR_400 = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Erro de validação",
    examples=[
        OpenApiExample(
            "Validação de page_id",
            value={"page_id": ["Page ID 'invalid_page_id' does not belong to dealer ID '10'"]},
            status_codes=["400"],
        ),
        OpenApiExample(
            "Validação de Campos",
            value={"asset_type": ["Este campo é obrigatório."], "page_id": ["Este campo é obrigatório."]},
            status_codes=["400"],
        ),
        OpenApiExample("Erro no Processamento de Base64", value={"error": BASE64_ERROR}, status_codes=["400"]),
    ],
)
ERROR_401 = OpenApiResponse(
    response=DetailSerializer,
    description=(
        "Sem token ou sem X-Client-ID/X-Client-Secret: “As credenciais de autenticação não foram fornecidas.” "
        "Token inválido ou expirado, cliente desconhecido ou inativo, ou X-Client-Secret errado: "
        "“Token inválido ou expirado.”"
    ),
    examples=[
        OpenApiExample("Credenciais ausentes", value={"detail": NOT_PROVIDED}, status_codes=["401"]),
        OpenApiExample("Token inválido", value={"detail": INVALID}, status_codes=["401"]),
    ],
)
ERROR_403 = OpenApiResponse(
    response=DetailSerializer,
    description="Sem permissão para esta loja",
    examples=[OpenApiExample("Sem permissão", value={"detail": FORBIDDEN}, status_codes=["403"])],
)
ERROR_404 = OpenApiResponse(
    response=DetailSerializer,
    description="Story não encontrado",
    examples=[OpenApiExample("Não encontrado", value={"detail": "Não encontrado."}, status_codes=["404"])],
)
ERRORS = {401: ERROR_401, 403: ERROR_403}
DETAIL_ERRORS = {**ERRORS, 404: ERROR_404}


def story_schemas(platform: str) -> dict[str, Any]:
    """The extend_schema arguments of each action, for the Facebook or Instagram story API."""
    tags = [f"{platform} Story"]
    return {
        "list": {
            "tags": tags,
            "summary": f"Lista todos os stories do {platform} da loja",
            "parameters": [DEALER_ID],
            "responses": {200: PaginatedStoryListSerializer, **ERRORS, 404: ERROR_404},
            "examples": [LIST_EXAMPLE],
        },
        "create": {
            "tags": tags,
            "summary": f"Cria um novo story do {platform}",
            "parameters": [DEALER_ID, IDEMPOTENCY_KEY],
            "responses": {201: StorySerializer, 400: ERROR_400, **ERRORS},
            "examples": [IMAGE_REQUEST, VIDEO_REQUEST, CREATED_EXAMPLE],
        },
        "retrieve": {
            "tags": tags,
            "summary": "Retorna detalhes de um story específico",
            "parameters": [DEALER_ID, STORY_ID],
            "responses": {200: StorySerializer, **DETAIL_ERRORS},
            "examples": [DETAIL_EXAMPLE],
        },
        "update": {
            "tags": tags,
            "summary": "Atualiza completamente um story",
            "parameters": [DEALER_ID, STORY_ID],
            "responses": {200: StorySerializer, 400: ERROR_400, **DETAIL_ERRORS},
            "examples": [PUT_REQUEST, DETAIL_EXAMPLE],
        },
        "partial_update": {
            "tags": tags,
            "summary": "Atualiza parcialmente um story",
            "parameters": [DEALER_ID, STORY_ID],
            "responses": {200: StorySerializer, 400: ERROR_400, **DETAIL_ERRORS},
            "examples": [PATCH_REQUEST, DETAIL_EXAMPLE],
        },
        "destroy": {
            "tags": tags,
            "summary": "Remove um story",
            "parameters": [DEALER_ID, STORY_ID],
            "responses": {204: None, **DETAIL_ERRORS},
        },
    }
