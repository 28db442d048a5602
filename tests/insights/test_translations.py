"""The insights pages speak Brazilian Portuguese (the catalogues are checked in tests/foundation)."""

from django.test import Client
from django.urls import reverse


def test_pages_render_in_portuguese(client: Client, db):
    response = client.get(reverse("metrics_help"), HTTP_ACCEPT_LANGUAGE="pt-br")
    assert "Como as métricas são definidas" in response.content.decode()
