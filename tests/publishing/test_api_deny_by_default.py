"""The API is closed unless a view says otherwise: only the token endpoints, the schema and its docs are open."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

PUBLIC = {"token_obtain_pair", "token_refresh", "schema", "api-docs"}


class Unmarked(APIView):
    """A view as the next feature might write it, with no authentication or permission classes of its own."""

    def get(self, request: Request) -> Response:
        return Response({"secret": "of the dealers"})


def api_views() -> dict[str, type[APIView]]:
    found: dict[str, type[APIView]] = {}

    def walk(patterns: list[object]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and entry.name:
                view = getattr(entry.callback, "cls", None)
                if isinstance(view, type) and issubclass(view, APIView):
                    found[entry.name] = view

    walk(get_resolver().url_patterns)
    return found


@pytest.mark.django_db
def test_it_refuses_an_anonymous_caller_of_a_view_that_says_nothing() -> None:
    response = Unmarked.as_view()(APIRequestFactory().get("/unmarked"))

    assert response.status_code == 401
    assert "secret" not in response.data


def test_it_opens_only_the_token_endpoints_the_schema_and_the_docs() -> None:
    open_views = {name for name, view in api_views().items() if any(p is AllowAny for p in view().permission_classes)}

    assert open_views == PUBLIC
