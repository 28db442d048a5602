"""`make review-screens`: every page at 1280 px and 390 px, in English and Portuguese, as
<screens-dir>/pages/<lang>-<width>-<page>.png, to look at before a release. `make test` skips it:
tests/insights/test_layout_browser.py opens the same pages at both widths and in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import ROOT
from tests.insights.browser import every_page, sign_in
from tests.insights.builders import lab_with_history

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
LANGUAGES = ("en", "pt-br")


def screens_folder(request: pytest.FixtureRequest) -> Path:
    option = request.config.getoption("--screens-dir")
    if not option:  # the suite's layout and language tests already open every page at both widths
        pytest.skip("make review-screens takes every page's screenshots (--screens-dir)")
    folder = Path(option)
    folder = (folder if folder.is_absolute() else ROOT / folder) / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def test_every_page_has_its_screenshots(
    transactional_db: None, page: Any, live_server: Any, request: pytest.FixtureRequest
) -> None:
    folder = screens_folder(request)
    lab = lab_with_history()
    pages = [("login", reverse("account_login")), *every_page(lab)]
    for language in LANGUAGES:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.context.clear_cookies()
            page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            for name, path in pages:
                if name == "dashboard":  # the login page is seen signed out, the rest signed in
                    sign_in(page, live_server, lab.user)
                page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(folder / f"{language}-{width}-{name}.png"), full_page=True)
    assert len(list(folder.glob("*.png"))) == len(LANGUAGES) * len(WIDTHS) * len(pages)
