"""What a shop's developer meets around the contract: Idempotency-Key, Portuguese errors, streamed uploads."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from publishing.models import Story
from publishing.parsers import MAX_BODY_BYTES
from tests.publishing.conftest import JPEG, JPEG_B64, Dealer, RegisteredClient, headers_for, stories_url

pytestmark = pytest.mark.sqlite  # make run's default database: the partial unique key and the page's queries


def post_raw(dealer: Dealer, app: RegisteredClient, body: bytes, **extra: str) -> tuple[int, dict]:
    response = Client().generic(
        "POST",
        stories_url(dealer.organization.pk),
        body,
        content_type=extra.pop("content_type", "application/json"),
        **headers_for(dealer.owner, app),
        **extra,
    )
    return response.status_code, response.json()


def test_it_answers_the_first_story_when_a_post_repeats_its_idempotency_key(api: APIClient, dealer: Dealer) -> None:
    payload = {"asset_type": 1, "page_id": dealer.page_id, "asset_base64": JPEG_B64}

    first = api.post(stories_url(dealer.organization.pk), payload, format="json", HTTP_IDEMPOTENCY_KEY="pedido-42")
    again = api.post(stories_url(dealer.organization.pk), payload, format="json", HTTP_IDEMPOTENCY_KEY="pedido-42")
    other = api.post(stories_url(dealer.organization.pk), payload, format="json", HTTP_IDEMPOTENCY_KEY="pedido-43")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert other.json()["id"] != first.json()["id"]
    assert Story.objects.count() == 2


def test_a_json_parse_error_is_answered_in_portuguese(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    status, body = post_raw(dealer, api_client_app, b'{"asset_type": 1,')

    assert status == 400
    assert body == {"detail": "JSON inválido na linha 1, coluna 18."}


def test_405_and_415_keep_drfs_shape_in_portuguese(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    headers = headers_for(dealer.owner, api_client_app)

    not_allowed = Client().delete(stories_url(dealer.organization.pk), **headers)
    status, unsupported = post_raw(dealer, api_client_app, b"asset_type=1", content_type="text/plain")

    assert not_allowed.status_code == 405
    assert not_allowed.json() == {"detail": 'Método "DELETE" não é permitido.'}
    assert status == 415 and unsupported == {"detail": 'Tipo de mídia "text/plain" não é suportado.'}


def test_an_oversized_content_length_is_refused_before_the_body_is_read(
    dealer: Dealer, api_client_app: RegisteredClient
) -> None:
    status, body = post_raw(dealer, api_client_app, b"{}", CONTENT_LENGTH=str(MAX_BODY_BYTES + 1))

    assert status == 413 and body == {"detail": "O arquivo é grande demais."}


def test_a_line_wrapped_data_url_is_decoded_as_it_streams(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    wrapped = "\n".join(JPEG_B64[i : i + 76] for i in range(0, len(JPEG_B64), 76))
    body = json.dumps({"asset_type": 1, "page_id": dealer.page_id, "asset_base64": f"data:image/jpeg;base64,{wrapped}"})

    status, created = post_raw(dealer, api_client_app, body.encode())

    assert status == 201, created
    with Story.objects.get(pk=created["id"]).asset.open("rb") as stored:
        assert stored.read() == JPEG


def test_text_that_is_not_base64_keeps_the_contracts_error(dealer: Dealer, api_client_app: RegisteredClient) -> None:
    for text in ("not base64!", base64.b64encode(JPEG).decode()[:-1], ""):
        body = json.dumps({"asset_type": 1, "page_id": dealer.page_id, "asset_base64": text}).encode()

        status, answer = post_raw(dealer, api_client_app, body)

        assert (status, answer) == (400, {"error": "Error processing base64 image: Invalid base64 string"}), text
