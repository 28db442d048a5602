"""A Facebook Page connected through Facebook Login is a full profile within minutes: its posts
with their numbers and its Page insights, collected by the real worker from the sandbox."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from collector.models import Platform, Profile
from insights.models import DailyMetric
from tests.waiting import wait_for

pytestmark = pytest.mark.browser
PAGE_ID = "20000000000000001"


def connect_page(page: Any, live_server: Any) -> Profile:
    page.goto(live_server.url + reverse("home"))
    page.click("#continue-facebook")
    page.wait_for_selector("#allow")
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    profile = Profile.objects.get(platform=Platform.FACEBOOK_PAGE, meta_id=PAGE_ID)

    def collected() -> bool:
        profile.refresh_from_db()  # and the daily aggregates the finished run asks for
        return profile.backfill_finished_at is not None and DailyMetric.objects.filter(profile=profile).exists()

    wait_for(collected, timeout=240, what="the Page's backfill")
    return profile


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_the_pages_profile_shows_its_posts_name_and_picture(
    transactional_db: None, sandbox: Any, celery_worker: None, live_server: Any, page: Any, screenshot: Any
) -> None:
    profile = connect_page(page, live_server)
    page.goto(live_server.url + reverse("profile", kwargs={"pk": profile.pk}))
    screenshot("page-profile")

    details = page.locator(".profile-card").inner_text()
    assert "IFMA Campus São Luís - Monte Castelo" in details
    assert "College & University" in details
    assert number(page.locator("#page-posts .stat").inner_text()) == 240
    picture = page.locator("img.avatar")
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#banner-unavailable").count() == 0
    assert page.locator("[data-source=follower-series]").count() == 1  # 90 days of growth on day one


def test_the_pages_engagement_shows_posts_with_numbers_and_page_insights(
    transactional_db: None, sandbox: Any, celery_worker: None, live_server: Any, page: Any, screenshot: Any
) -> None:
    profile = connect_page(page, live_server)
    page.goto(live_server.url + reverse("engagement", kwargs={"pk": profile.pk}) + "?period=30")
    screenshot("page-engagement")

    assert page.locator("#empty-period").count() == 0
    assert number(page.locator("#stat-posts .stat").inner_text()) > 0
    assert number(page.locator("#stat-reach .stat").inner_text()) > 0
    assert page.locator("#account-title").inner_text() == "Page insights"
    assert number(page.locator("#stat-account_reach .stat").inner_text()) > 0
    assert number(page.locator("#stat-account_views .stat").inner_text()) > 0
    assert "Not available for Facebook Pages" in page.locator("#stat-accounts_engaged").inner_text()
    top = page.locator("#top-posts tbody tr")
    assert top.count() == 5
    first = top.first.locator("td")
    assert "/www.facebook.com/" in top.first.locator("a").get_attribute("href")
    assert number(first.nth(1).inner_text()) > 0 and number(first.nth(2).inner_text()) > 0
    page.goto(live_server.url + reverse("dashboard"))
    link = page.locator(f"a[href='{reverse('profile', kwargs={'pk': profile.pk})}']")
    row = page.locator("#profiles tbody tr", has=link)
    assert row.locator("a").first.inner_text() == "IFMA Campus São Luís - Monte Castelo"  # its name, not @username
    assert row.locator(".badge:visible").inner_text() == "Up to date"
