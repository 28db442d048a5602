"""What a person sees right after a Meta login: a clean address and a sentence that reads well."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("button", "chosen", "connected"),
    [
        ("#continue-instagram", "input[name=account][value='17841400000000002']", "Connected ifma.imperatriz."),
        ("#continue-facebook", None, "Connected IFMA Campus São Luís - Monte Castelo."),
    ],
)
def test_it_lands_on_the_dashboard_without_meta_s_fragment_and_says_what_was_connected(
    transactional_db: None, sandbox: Any, live_server: Any, page: Any, screenshot: Any, button: str,
    chosen: str | None, connected: str,
) -> None:  # fmt: skip
    page.goto(live_server.url + reverse("home"))
    page.click(button)
    page.wait_for_selector("#allow")
    if chosen:
        page.check(chosen)
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    page.wait_for_load_state("load")
    screenshot("after-login")

    assert page.evaluate("window.location.hash") == ""
    assert page.url.endswith(reverse("dashboard"))
    message = page.locator(".messages").inner_text()
    assert message.startswith(connected)
    assert "organization" not in message and "Successfully signed in" not in message
