"""A dealer publishes only to the Pages it linked itself."""

from __future__ import annotations

from rest_framework.test import APIClient

from accounts.models import Organization
from publishing.models import Story
from tests.publishing.conftest import JPEG_B64, Dealer, link_page, stories_url


def test_it_refuses_a_page_that_only_another_dealer_linked(dealer: Dealer, api: APIClient) -> None:
    other = Organization.objects.create(name="Outra Loja")
    link_page(other, "555000111")

    response = api.post(
        stories_url(dealer.organization.pk),
        {"asset_type": 1, "page_id": "555000111", "asset_base64": JPEG_B64},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "page_id": [f"Page ID '555000111' does not belong to dealer ID '{dealer.organization.pk}'"]
    }
    assert not Story.objects.exists()
