"""The panel in chromium: a person adds campuses by username, the worker visits them, the errors
read per account, and Compare puts connected and public accounts side by side, marked."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from discovery.models import TrackedAccount, TrackedStatus
from tests.discovery.conftest import Lab, facebook_lab, forget_rate_limits, wait_for
from tests.insights.browser import axe_violations, scroll_width, serve_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_worker")]


@pytest.fixture
def lab(sandbox: Any, transactional_db: None, page: Any, live_server: Any) -> Lab:
    forget_rate_limits()
    created = facebook_lab(sandbox)
    sign_in(page, live_server, created.user)
    serve_axe(page, live_server)
    return created


def settled() -> bool:
    return not TrackedAccount.objects.filter(status=TrackedStatus.PENDING).exists()


def test_the_panel_shows_public_accounts_beside_the_connected_one_in_compare(
    lab: Lab, page: Any, live_server: Any, screenshot: Any
) -> None:
    page.goto(live_server.url + reverse("discovery:my_panel"))
    page.fill("#panel-usernames", "@ifma.timon, ifma.bacabal\nperfil.fechado")
    page.click("#panel-add button[type=submit]")
    assert page.locator(".message-success").inner_text() == "3 accounts added to the panel."
    wait_for(settled, what="the three first visits")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("#tracked-ifma\\.timon").get_attribute("data-status") == "ok"
    refused = page.locator("#tracked-perfil\\.fechado")
    assert refused.get_attribute("data-status") == "not_found"
    assert "The user with username: perfil.fechado cannot be found." in refused.inner_text()
    screenshot("panel")
    assert axe_violations(page, live_server) == []

    page.click("#panel-compare")
    page.wait_for_load_state("networkidle")
    heads = page.locator("#comparison thead th[data-profile]")
    assert heads.count() == 3
    names = [heads.nth(i).inner_text() for i in range(3)]
    assert names[0].startswith("@ifma.bacabal") and "public data" in names[0]
    assert names[1] == "@ifma.saoluis" and "public data" not in names[1]
    assert names[2].startswith("@ifma.timon") and "public data" in names[2]
    reach = page.locator("#comparison tbody tr", has=page.locator("th", has_text="Account reach"))
    assert reach.locator("td").nth(0).inner_text() == "not public"
    assert page.locator("#row-er-public td").nth(2).inner_text().endswith("%")
    screenshot("compare")
    assert axe_violations(page, live_server) == []

    page.set_viewport_size({"width": 390, "height": 900})
    for path in (reverse("discovery:panel", args=[lab.organization.pk]), page.url):
        page.goto(path if path.startswith("http") else live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert scroll_width(page) <= 390, f"{path} is wider than a phone"
    screenshot("compare-phone")
