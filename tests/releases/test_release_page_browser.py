"""An analyst creates a release on the releases page; its page shows the build's progress bar
while it waits for and then follows the worker, and the download once the ZIP is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from releases.models import Release
from releases.tables import TABLES
from tests.insights.browser import csp_watch, scroll_width, sign_in
from tests.releases.builders import release_lab

pytestmark = pytest.mark.browser


def test_an_analyst_creates_a_release_and_its_page_follows_the_build_to_the_download(
    transactional_db: None, no_suite_worker: None, live_server: Any, page: Any, screenshot: Any, request: Any
) -> None:
    lab = release_lab(media=30, comments_per_media=2)
    sign_in(page, live_server, lab.user)
    errors = csp_watch(page)
    page.set_viewport_size({"width": 390, "height": 900})

    page.goto(live_server.url + reverse("releases:home"))  # one organization: straight to its releases
    page.get_by_label("Title").fill("Campi, 90 dias")
    for profile in lab.profiles:
        page.get_by_label(str(profile)).check()
    screenshot("new-release-form")
    assert scroll_width(page) <= 390
    page.get_by_role("button", name="Create release").click()

    release = Release.objects.get(organization=lab.organization)
    expect(page.locator("h1")).to_have_text(release.version)
    block = page.locator(".release-progress")
    expect(block).to_contain_text("Queued: waiting for a worker")  # no worker runs yet
    expect(block.locator("progress")).to_be_visible()
    screenshot("queued-without-worker")

    request.getfixturevalue("celery_worker")
    expect(page.locator("#release-download")).to_be_visible(timeout=120_000)  # the script reloads when done
    release.refresh_from_db()
    expect(page.locator("#release-sha256")).to_have_text(release.sha256)
    expect(page.locator("#release-files tbody tr")).to_have_count(2 * len(TABLES) + 1)  # each table twice, the codebook
    assert scroll_width(page) <= 390
    screenshot("ready-to-download")

    page.goto(live_server.url + reverse("releases:list", args=[lab.organization.pk]))
    expect(page.locator(f'tr[data-release="{release.version}"]')).to_contain_text("Ready")
    assert errors == []
