"""The API access page in a browser: a client made from the nav, its secret shown once; no CSP or axe issue."""

from __future__ import annotations

from typing import Any

import pytest

from publishing.models import ApiClient
from tests.insights.browser import axe_violations, csp_watch, serve_axe, sign_in
from tests.publishing.conftest import Dealer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_owner_creates_an_api_client_from_the_nav_and_sees_the_secret_once(
    live_server: Any, page: Any, dealer: Dealer
) -> None:
    violations = csp_watch(page)
    serve_axe(page, live_server)
    sign_in(page, live_server, dealer.owner)
    page.goto(f"{live_server.url}/privacy/")

    page.get_by_role("link", name="API access").click()
    page.get_by_label("Name").last.fill("Loja virtual")
    page.get_by_role("button", name="Create API client").click()

    secret = page.locator("[data-secret]").inner_text()
    client = ApiClient.objects.get(organization=dealer.organization)
    assert client.check_secret(secret)
    assert page.locator("#dealer-id").inner_text() == str(dealer.organization.pk)
    assert dealer.page_id in page.locator("#targets").inner_text()
    assert axe_violations(page, live_server) == []
    page.reload()
    assert page.locator("[data-secret]").count() == 0
    assert violations == []
