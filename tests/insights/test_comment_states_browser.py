"""The comments page never contradicts itself: a live comment replaces "No comments collected yet",
and a comment delivered by webhook takes down "Webhooks from Meta are not arriving"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from collector.models import Profile
from tests.insights.browser import sign_in
from tests.insights.builders import account

pytestmark = pytest.mark.browser


def test_it_clears_the_empty_state_and_the_webhooks_warning_when_a_webhook_comment_arrives(
    transactional_db: None, sandbox: Any, celery_worker: None, page: Any, live_server: Any, screenshot: Any
) -> None:
    lab = account("ifma.saoluis")
    Profile.objects.filter(pk=lab.profile.pk).update(webhooks_missing=True)  # flagged by an earlier check
    sign_in(page, live_server, lab.user)
    page.goto(live_server.url + reverse("comments", args=[lab.profile.pk]))
    assert page.locator("#empty-comments").is_visible()
    assert page.locator("[data-live-comments-warning]").is_visible()
    screenshot("flagged-and-empty")

    sent = sandbox.send_webhook(live_server.url + reverse("webhooks:meta"), "comments", account="ifma.saoluis")
    assert sent["status"] == 200
    page.wait_for_selector(".live-comment", timeout=30_000)
    page.wait_for_selector("[data-live-comments-warning]", state="hidden", timeout=10_000)
    screenshot("live-comment")

    assert page.locator("#empty-comments").count() == 0
    page.reload()
    assert page.locator("#empty-comments").count() == 0
    assert not page.locator("[data-live-comments-warning]").is_visible()
