"""Right after a collection, before the worker has added its posts up: the engagement page says
how many posts it is counting rather than "Nothing in this period", and shows the numbers by
itself once they are there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from insights.aggregates import rebuild_daily_metrics
from insights.models import DailyMetric
from tests.insights.browser import csp_watch, sign_in
from tests.insights.builders import account, populate

pytestmark = pytest.mark.browser


def test_the_engagement_page_shows_the_numbers_by_itself_once_they_are_added_up(
    transactional_db: None, page: Any, live_server: Any, screenshot: Any
) -> None:
    lab = account()
    populate(lab.profile, media=40, comments_per_media=0, days=30)
    DailyMetric.objects.filter(profile=lab.profile).delete()  # the collection's rebuild is still queued
    sign_in(page, live_server, lab.user)
    errors = csp_watch(page)

    page.goto(live_server.url + reverse("engagement", args=[lab.profile.pk]) + "?period=30")
    waiting = page.locator("#counting-period")
    assert waiting.is_visible() and "posts of this period have been collected" in waiting.inner_text()
    assert page.locator("#empty-period").count() == 0
    screenshot("counting")
    assert page.locator("[data-reload-late]").is_hidden()

    # After as many reloads as the page allows, it stops and says the worker may be busy or stopped.
    page.evaluate("sessionStorage.setItem('reloads:' + location.pathname + location.search, '40')")
    page.reload()
    page.locator("[data-reload-late]").wait_for()
    screenshot("taking-longer")
    page.evaluate("sessionStorage.clear()")
    page.reload()

    rebuild_daily_metrics(lab.profile.pk)  # what the worker's task does

    page.locator("#stat-er_reach").wait_for(timeout=15_000)  # no navigation: the page reloads itself
    assert page.locator("#counting-period").count() == 0
    screenshot("counted")
    assert errors == []
