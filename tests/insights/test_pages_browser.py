"""Every insights page and state in headless chromium, as a reviewer sees it: a screenshot of
each, charts drawn by our own script under the CSP, and no serious or critical axe violation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Credential, CredentialStatus
from collector.models import CollectionStatus, Comment, Profile
from tests.insights.browser import axe_violations, csp_watch, serve_axe, sign_in
from tests.insights.builders import account, populate
from tests.insights.conftest import sandbox_comment
from webhooks.models import Conversation, Message

pytestmark = pytest.mark.browser


@pytest.fixture
def reviewer(transactional_db: None, page: Any, live_server: Any) -> Any:
    lab = account()
    populate(lab.profile, media=150, comments_per_media=4, days=120)
    conversation = Conversation.objects.create(
        profile=lab.profile, participant_id="6500000000000123", last_message_at=timezone.now()
    )
    Message.objects.create(
        conversation=conversation, mid="m1", text="Olá! Qual o horário da biblioteca?", sent_at=timezone.now()
    )
    sign_in(page, live_server, lab.user)
    serve_axe(page, live_server)
    lab.conversation = conversation
    return lab


def visit(page: Any, live_server: Any, screenshot: Any, path: str, name: str) -> None:
    errors = csp_watch(page)
    page.goto(live_server.url + path)  # drawn by its load event: the scripts' first polls come later
    screenshot(name)
    assert axe_violations(page, live_server) == [], name
    assert errors == [], errors


def test_every_page_renders_accessibly(reviewer: Any, page: Any, live_server: Any, screenshot: Any) -> None:
    pk = reviewer.profile.pk
    comment = Comment.objects.filter(profile=reviewer.profile, parent=None).first()
    pages = [
        (reverse("dashboard"), "dashboard"),
        (reverse("profile", args=[pk]), "profile"),
        (reverse("engagement", args=[pk]) + "?period=90", "engagement"),
        (reverse("comments", args=[pk]), "comments"),
        (reverse("comments", args=[pk]) + "?status=unanswered", "comments-unanswered"),
        (reverse("comment_delete", args=[pk, comment.pk]), "comment-delete-confirmation"),
        (reverse("messages", args=[pk]), "messages"),
        (reverse("conversation", args=[pk, reviewer.conversation.pk]), "conversation-window-open"),
        (reverse("compare"), "compare"),
        (reverse("export", args=[pk]), "export"),
        (reverse("metrics_help"), "metrics-help"),
        (reverse("review_kit"), "review-kit"),
    ]
    for path, name in pages:
        visit(page, live_server, screenshot, path, name)
        if name in ("profile", "engagement"):
            assert page.locator(".chart.is-drawn canvas").count() >= 1, "the chart script did not draw"
    assert page.locator("section.permission").count() >= 10


def test_every_state_has_its_page_or_banner(reviewer: Any, page: Any, live_server: Any, screenshot: Any) -> None:
    pk = reviewer.profile.pk
    profile_url = reverse("engagement", args=[pk])
    visit(page, live_server, screenshot, profile_url + "?period=custom&start=2019-01-01&end=2019-01-31", "empty-period")
    assert page.locator("#empty-period").is_visible()

    Profile.objects.filter(pk=pk).update(backfill_started_at=timezone.now(), backfill_total=900, backfill_done=360)
    visit(page, live_server, screenshot, profile_url, "backfill-running")
    assert "360 of 900 media" in page.locator("#banner-backfill").inner_text()
    assert page.locator("#banner-backfill progress").get_attribute("value") == "40"
    Profile.objects.filter(pk=pk).update(backfill_finished_at=timezone.now())

    Profile.objects.filter(pk=pk).update(
        collection_status=CollectionStatus.PAUSED, next_retry_at=timezone.now() + timedelta(minutes=42)
    )
    visit(page, live_server, screenshot, profile_url, "rate-limited")
    assert "Collection resumes at" in page.locator("#banner-rate-limited").inner_text()

    Profile.objects.filter(pk=pk).update(
        collection_status=CollectionStatus.FAILED, last_error="An unexpected error has occurred. (code 2)"
    )
    visit(page, live_server, screenshot, profile_url, "meta-failing")
    assert "An unexpected error has occurred" in page.locator("#banner-failed").inner_text()

    Credential.objects.filter(pk=reviewer.profile.credential_id).update(status=CredentialStatus.NEEDS_RECONNECT)
    Profile.objects.filter(pk=pk).update(collection_status=CollectionStatus.NEEDS_RECONNECT)
    visit(page, live_server, screenshot, profile_url, "needs-reconnect")
    assert page.locator("#banner-reconnect").is_visible()

    # Past the 7 days of the Human Agent window too: nothing can be sent any more.
    Conversation.objects.filter(pk=reviewer.conversation.pk).update(last_message_at=timezone.now() - timedelta(days=8))
    Message.objects.filter(conversation=reviewer.conversation).update(sent_at=timezone.now() - timedelta(days=8))
    visit(page, live_server, screenshot, reverse("conversation", args=[pk, reviewer.conversation.pk]), "window-closed")
    assert page.locator("#window-closed").is_visible()

    newcomer = account("nobody.yet")
    newcomer.profile.delete()
    page.context.clear_cookies()
    sign_in(page, live_server, newcomer.user)
    visit(page, live_server, screenshot, reverse("dashboard"), "no-account-connected")
    assert page.locator("#empty-dashboard").is_visible()


def test_a_reply_typed_in_the_page_goes_pending_then_done(
    sandbox: Any, sandbox_lab: Any, celery_worker: None, page: Any, live_server: Any, screenshot: Any
) -> None:
    lab = sandbox_lab
    comment = sandbox_comment(sandbox, lab, "Vai ter aula no feriado?")
    sign_in(page, live_server, lab.user)
    serve_axe(page, live_server)

    visit(page, live_server, screenshot, reverse("comments", args=[lab.profile.pk]), "before-reply")
    page.fill(f"#reply-{comment.pk}", "Não, o campus estará fechado.")
    page.click(f"#comment-{comment.pk} .reply-form button")
    page.wait_for_selector(f'#comment-{comment.pk} .action-state[data-status="done"]', timeout=30_000)
    screenshot("reply-done")
    assert "Não, o campus estará fechado." in page.locator(f"#comment-{comment.pk}").inner_text()


def test_a_comment_made_on_instagram_appears_without_a_reload(
    transactional_db: None, sandbox: Any, celery_worker: None, page: Any, live_server: Any, screenshot: Any
) -> None:
    lab = account("ifma.saoluis")
    sign_in(page, live_server, lab.user)
    serve_axe(page, live_server)
    visit(page, live_server, screenshot, reverse("comments", args=[lab.profile.pk]), "before-webhook")
    assert page.locator(".live-comment").count() == 0

    sent = sandbox.send_webhook(live_server.url + reverse("webhooks:meta"), "comments", account="ifma.saoluis")
    assert sent["status"] == 200
    page.wait_for_selector(".live-comment", timeout=30_000)
    screenshot("live-comment")
    new = Comment.objects.get(profile=lab.profile)
    assert new.text in page.locator(".live-comment").first.inner_text()
