"""Unticking a permission on Meta's consent screen: the person is told which permission is missing,
what stops working without it, and is offered to ask Meta again, which brings the consent screen back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def untick_and_allow(page: Any, live_server: Any, button: str, scope: str) -> None:
    page.goto(live_server.url + reverse("home"))
    page.click(button)
    page.wait_for_selector("#allow")
    page.uncheck(f"input[name=granted][value={scope}]")
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")


@pytest.mark.parametrize(
    ("button", "scope", "consequence"),
    [
        ("#continue-instagram", "instagram_business_manage_comments", "replying to, hiding and deleting comments"),
        ("#continue-facebook", "pages_show_list", "finding your Facebook Pages: nothing can be connected without it"),
    ],
)
def test_it_names_the_missing_permission_says_what_stops_and_offers_to_ask_again(
    transactional_db: None, sandbox: Any, live_server: Any, page: Any, screenshot: Any, button: str, scope: str,
    consequence: str,
) -> None:  # fmt: skip
    untick_and_allow(page, live_server, button, scope)
    screenshot("declined-permission")

    banner = page.locator("#declined-permissions")
    assert scope in banner.inner_text() and consequence in banner.inner_text()
    assert "please try again" not in page.locator("body").inner_text()

    banner.locator("#ask-again").click()
    page.wait_for_selector("#allow")  # Meta's consent screen again, the permission offered once more
    assert page.locator(f"input[name=granted][value={scope}]").count() == 1
    page.click("#allow")
    page.wait_for_url("**/accounts/connected/**")
    assert page.locator("#declined-permissions").count() == 0
