"""Every page at a phone's 390 px and a desktop's 1280 px, in English and Portuguese: nothing makes
the page scroll sideways, the menu folds on the phone, wide tables say they scroll, and every date
and time reads in one format per language, the same from the server and from our scripts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.insights.browser import axe_violations, every_page, scroll_width, serve_axe, sign_in
from tests.insights.builders import lab_with_history

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
# What Django's and the browser's defaults used to mix on one page: 12/01/2026, 6:51 p.m., 6:53:43 PM, 2026-12-01.
MIXED = [r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", r"\b[ap]\.m\.", r"\b[AP]M\b", r"\b\d{4}-\d{2}-\d{2}\b"]
FOREIGN_DATES = {
    "en": [*MIXED, r"\b[A-Z][a-z]{2}\. \d"],  # Dec. 1
    "pt-br": [*MIXED, r"de [A-Z][a-zç]+\.? de \d{4}", r"a partir de agora"],  # 1 de Dezembro de 2026
}
OUR_DATETIME = {
    "en": r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}\b",  # Dec 1, 2026, 18:51
    "pt-br": r"\b\d{1,2} de [a-zç]{3}\. de \d{4}, \d{2}:\d{2}\b",  # 1 de dez. de 2026, 18:51
}


@pytest.fixture
def lab(transactional_db: None, page: Any, live_server: Any) -> Any:
    serve_axe(page, live_server)
    return lab_with_history()


def in_language(page: Any, live_server: Any, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


def open_page(page: Any, live_server: Any, path: str) -> None:
    page.goto(live_server.url + path)  # our pages are drawn by their load event (the scripts poll later)
    if path == reverse("api-docs"):
        page.wait_for_load_state("networkidle")  # Swagger UI draws once it has fetched the schema


def test_it_fits_every_page_to_a_phone_and_a_desktop(lab: Any, page: Any, live_server: Any) -> None:
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        open_page(page, live_server, reverse("account_login"))
        assert scroll_width(page) <= width, f"the login page is wider than {width} px"
        sign_in(page, live_server, lab.user)
        for name, path in every_page(lab):
            open_page(page, live_server, path)
            assert scroll_width(page) <= width, f"{name} is {scroll_width(page)} px wide at {width} px"
            # /api/docs/ is Swagger UI: its width is ours to keep, its markup is the vendor's.
            if name != "api-docs":
                assert axe_violations(page, live_server) == [], f"{name} at {width} px"


def test_it_folds_the_menu_and_marks_wide_tables_on_a_phone(lab: Any, page: Any, live_server: Any) -> None:
    sign_in(page, live_server, lab.user)
    page.set_viewport_size({"width": PHONE, "height": 900})
    open_page(page, live_server, reverse("engagement", args=[lab.profile.pk]) + "?period=90")
    assert page.locator("#site-menu").is_hidden()
    page.click(".menu-toggle")
    assert page.get_by_role("link", name="Connected accounts").is_visible()
    assert page.locator("#language-select").is_visible()

    heatmap = page.locator(".table-wrap", has=page.locator("#heatmap"))
    assert heatmap.get_attribute("tabindex") == "0", "the keyboard cannot scroll the heatmap"
    assert page.locator(".scroll-hint:visible").first.inner_text() == "Swipe sideways to see the whole table."
    heatmap.evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    last_hour = page.locator("#heatmap thead th", has_text="23").bounding_box()
    assert last_hour["x"] + last_hour["width"] <= PHONE, "the last hours cannot be reached"

    page.set_viewport_size({"width": DESKTOP, "height": 900})
    open_page(page, live_server, reverse("engagement", args=[lab.profile.pk]) + "?period=90")
    assert page.locator("#site-menu").is_visible() and page.locator(".menu-toggle").is_hidden()
    assert heatmap.get_attribute("tabindex") is None, "the heatmap fits a desktop: no hint"


@pytest.mark.parametrize("language", ["en", "pt-br"])
def test_it_writes_dates_in_one_format_per_language(language: str, lab: Any, page: Any, live_server: Any) -> None:
    sign_in(page, live_server, lab.user)
    in_language(page, live_server, language)
    seen = 0
    for name, path in every_page(lab):
        open_page(page, live_server, path)
        text = page.inner_text("body")
        for pattern in FOREIGN_DATES[language]:
            assert not re.search(pattern, text), f"{name}: {re.search(pattern, text).group(0)!r} in {language}"
        seen += len(re.findall(OUR_DATETIME[language], text))
        # static/js/dates.js writes a server time exactly as the server did.
        for when, shown in page.eval_on_selector_all(
            "time[datetime]", "els => els.map(el => [el.getAttribute('datetime'), el.textContent.trim()])"
        ):
            if re.fullmatch(OUR_DATETIME[language], shown):
                assert page.evaluate("when => window.sdlDates.dateTime(when)", when) == shown, name
    assert seen >= 5, "the pages showed almost no dates: the check proved nothing"


def test_it_says_when_in_portuguese_words(lab: Any, page: Any, live_server: Any) -> None:
    sign_in(page, live_server, lab.user)
    in_language(page, live_server, "pt-br")
    open_page(page, live_server, reverse("conversation", args=[lab.profile.pk, lab.conversation.pk]))
    assert re.search(r"\(daqui a (23 horas|um dia)\)", page.inner_text("#window-open"))
    open_page(page, live_server, reverse("comments", args=[lab.profile.pk]))
    assert page.locator("#filter-status option[value=hidden]").inner_text() == "Ocultos"
    assert page.get_by_role("button", name="Filtrar").is_visible()
    assert page.locator(".comment-actions a", has_text="Excluir").count() >= 1
