"""The OpenAPI schema: served, documented with the contract's examples, and honoured (schemathesis)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from publishing.models import AssetType, Story
from tests.publishing.conftest import Dealer, RegisteredClient, headers_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 40
MINIMUM_CASES = 500


def test_the_schema_documents_every_contract_path_and_method(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for channel in ("facebook", "instagram"):
        assert set(schema["paths"][f"/social-media/{channel}/story/{{dealer_id}}"]) >= {"get", "post"}
        assert set(schema["paths"][f"/social-media/{channel}/story/{{dealer_id}}/{{id}}"]) >= {
            "get",
            "put",
            "patch",
            "delete",
        }
    assert {"/api/token/", "/api/token/refresh/"} <= set(schema["paths"])
    assert set(schema["components"]["securitySchemes"]) == {"jwtAuth", "clientId", "clientSecret"}


def test_the_schema_carries_the_contracts_examples(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    story_list = schema["paths"]["/social-media/facebook/story/{dealer_id}"]

    list_example = story_list["get"]["responses"]["200"]["content"]["application/json"]["examples"]
    assert list_example["ListaDeStories"]["value"]["results"][0]["story_url"] == (
        "https://www.facebook.com/stories/987654321"
    )
    requests = story_list["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert requests["ExemploComVídeo"]["value"]["asset_base64"].startswith("data:video/mp4;base64,AAAAIGZ0eXBpc29t")
    errors = story_list["post"]["responses"]["400"]["content"]["application/json"]["examples"]
    assert errors["ErroNoProcessamentoDeBase64"]["value"] == {
        "error": "Error processing base64 image: Invalid base64 string"
    }
    forbidden = story_list["get"]["responses"]["403"]["content"]["application/json"]["examples"]
    assert forbidden["SemPermissão"]["value"] == {"detail": "Você não tem permissão para executar essa ação."}


def test_the_interactive_docs_load_everything_from_this_server(client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style>" not in html  # the CSP allows files only
    initialiser = client.get("/api/docs/?script=")
    assert initialiser["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in initialiser.content.decode()


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, minus closing the database connection around each request (as the
    test Client does): the requests run inside the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore")
def test_generated_requests_find_no_server_error_and_no_response_outside_the_schema(
    dealer: Dealer, api_client_app: RegisteredClient, wsgi_app: Any
) -> None:
    """Schemathesis: ≥500 generated requests, half aimed at a real dealer and story so they get past auth."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    story = Story.objects.create(organization=dealer.organization, asset_type=AssetType.IMAGE, page_id=dealer.page_id)
    meta = headers_for(dealer.owner, api_client_app)
    headers = {
        "Authorization": meta["HTTP_AUTHORIZATION"],
        "X-Client-ID": meta["HTTP_X_CLIENT_ID"],
        "X-Client-Secret": meta["HTTP_X_CLIENT_SECRET"],
    }
    cases = 0
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        known = {"dealer_id": dealer.organization.pk, "id": story.pk}
        fixed = {name: value for name, value in known.items() if name in operation.path_parameters}
        strategy = st.one_of(operation.as_strategy(path_parameters=fixed), operation.as_strategy())

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            nonlocal cases
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] += 1
            cases += 1

        run()
    elapsed = time.monotonic() - started
    print(f"schemathesis: {cases} cases in {elapsed:.1f}s, statuses {dict(statuses)}")

    assert cases >= MINIMUM_CASES, cases
    # The credentials worked: requests got past authentication to real answers and validation.
    assert statuses[200] > 0 and statuses[400] > 0 and statuses[403] > 0, statuses
