"""The time charts in chromium, under the CSP: uPlot draws them, hovering a day shows its values
in a tooltip, and a data gap is a shaded band that says why (the tooltip of a day in it too)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from collector.audience import AudienceSnapshot
from collector.gaps import DataGap, GapReason
from tests.insights.browser import axe_violations, csp_watch, scroll_width, serve_axe, sign_in
from tests.insights.builders import account, populate

pytestmark = pytest.mark.browser


@pytest.fixture
def gapped(transactional_db: None, page: Any, live_server: Any) -> Any:
    lab = account()
    populate(lab.profile, media=90, comments_per_media=1, days=60)
    now = timezone.now()
    DataGap.objects.create(
        profile=lab.profile,
        reason=GapReason.TOKEN_EXPIRED,
        started_at=now - timedelta(days=20),
        ended_at=now - timedelta(days=12),
        detail="Session has expired (code 190/463)",
    )
    today = timezone.now().date()
    AudienceSnapshot.objects.create(
        profile=lab.profile, date=today, metric="follower_demographics", breakdown="city", timeframe="this_month",
        values={"São Luís, Maranhão": 5200, "Imperatriz, Maranhão": 800, "Teresina, Piauí": 410},
    )  # fmt: skip
    AudienceSnapshot.objects.create(
        profile=lab.profile, date=today, metric="engaged_audience_demographics", breakdown="age",
        timeframe="this_month", values=None, withheld="below_privacy_floor",
    )  # fmt: skip
    sign_in(page, live_server, lab.user)
    serve_axe(page, live_server)
    return lab


def test_a_chart_has_a_tooltip_and_a_gap_band(gapped: Any, page: Any, live_server: Any, screenshot: Any) -> None:
    errors = csp_watch(page)
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("engagement", args=[gapped.profile.pk]) + "?period=30")
    chart = page.locator(".chart.is-drawn").first
    chart.wait_for()
    assert chart.locator("canvas").count() == 1
    assert page.locator(".sparkline canvas").count() == 4, "a trend line beside each headline count"

    chart.scroll_into_view_if_needed()
    band = chart.locator(".chart-gap")
    assert band.count() == 1
    assert band.get_attribute("data-reason") == "Token expired"
    box = band.bounding_box()
    assert box["width"] > 20, "eight days of thirty are a visible band"

    plot = chart.locator(".u-over").bounding_box()
    page.mouse.move(plot["x"] + plot["width"] - 5, plot["y"] + plot["height"] / 2)
    tooltip = chart.locator(".chart-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "Reach:" in text and "Interactions:" in text and "Token expired" not in text

    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelector('.chart-tooltip').innerText.includes('Token expired')")
    screenshot("chart-tooltip-in-gap")
    assert errors == [] and failures == []

    page.goto(live_server.url + reverse("profile", args=[gapped.profile.pk]))
    page.locator(".chart.is-drawn").wait_for()
    assert page.locator("#gap-list tr[data-reason=token_expired]").count() == 1


def test_the_profile_lists_gaps_and_audience_within_a_phone(
    gapped: Any, page: Any, live_server: Any, screenshot: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + reverse("profile", args=[gapped.profile.pk]))
    page.locator(".chart.is-drawn").wait_for()
    screenshot("profile-phone")
    assert scroll_width(page) <= 390
    assert page.locator("#gap-list tr[data-reason=token_expired]").is_visible()
    city = page.locator("#audience-follower_demographics-city")
    assert "São Luís, Maranhão" in city.inner_text() and "81.1%" in city.inner_text()
    assert "hidden by Meta" in page.locator("#audience-engaged_audience_demographics-age").inner_text()
    assert axe_violations(page, live_server) == []
