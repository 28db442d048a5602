"""The review pages in chromium: accessible, within a phone's width, and the caption bar of review mode
set by our static script (no inline code for the CSP to refuse), from the page's query and fragment."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.insights.browser import axe_violations, csp_watch, scroll_width, serve_axe

pytestmark = pytest.mark.browser

PAGES = ("review_kit", "review_data_handling", "review_instructions")


def test_the_review_pages_are_accessible_and_fit_a_phone(transactional_db: None, page: Any, live_server: Any) -> None:
    serve_axe(page, live_server)
    errors = csp_watch(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name in PAGES:
            page.goto(live_server.url + reverse(name))
            assert axe_violations(page, live_server) == [], name
            assert scroll_width(page) <= width, f"{name} scrolls sideways at {width}px"
    assert errors == []


def test_review_mode_captions_each_step_with_the_permission(
    transactional_db: None, page: Any, live_server: Any
) -> None:
    errors = csp_watch(page)
    page.goto(live_server.url + reverse("review_record", args=["instagram_business_manage_messages"]))
    bar = page.locator("#review-caption")
    assert bar.is_visible() and "instagram_business_manage_messages" in bar.inner_text()
    page.goto(live_server.url + reverse("metrics_help") + "?caption=" + quote("Opening the messages"))
    assert bar.locator(".review-caption-step").inner_text() == "Opening the messages"
    page.evaluate("window.location.hash = 'caption=' + encodeURIComponent('Typing a reply')")
    assert bar.locator(".review-caption-step", has_text="Typing a reply").is_visible()
    page.goto(live_server.url + reverse("review_kit"))
    assert bar.locator(".review-caption-step").inner_text() == "Typing a reply", "kept across a navigation"
    assert errors == []
