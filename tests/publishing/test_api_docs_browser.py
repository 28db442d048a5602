"""The Story API's interactive docs, as a store's developer opens them: rendered under our CSP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.insights.browser import csp_watch

pytestmark = pytest.mark.browser


def test_the_swagger_page_lists_the_story_operations_without_a_csp_violation(live_server: Any, page: Any) -> None:
    violations = csp_watch(page)

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/social-media/facebook/story/" in path for path in paths)
    assert any("/social-media/instagram/story/" in path for path in paths)
    assert page.locator(".opblock-summary-method", has_text="POST").count() >= 2
    assert violations == []
