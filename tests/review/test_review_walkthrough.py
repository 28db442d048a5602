"""The path a Meta reviewer follows (see /review/), against the sandbox, with a real worker:
login, consent, profile, engagement, comment reply, hide, message reply, disconnect."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from collector.models import Comment, Profile
from insights.models import ActionStatus, CommentAction, MessageReply
from tests import waiting
from webhooks.models import Conversation

pytestmark = pytest.mark.browser


def wait_for(check: Any, timeout: float = 120, what: str = "the condition") -> Any:
    """The walk-through's waits: longer, and polled less often (each check reads a page)."""
    return waiting.wait_for(check, timeout, what, every=0.5)


def test_a_reviewer_sees_each_permission_in_use(
    transactional_db: None, sandbox: Any, celery_worker: None, live_server: Any, page: Any, review_screen: Any
) -> None:
    smallest = min((a for a in sandbox.accounts() if a["kind"] == "instagram"), key=lambda a: a["media_count"])
    page.goto(live_server.url + reverse("home"))
    review_screen("login")
    page.click("#continue-instagram")
    page.wait_for_selector("#allow")
    account_choice = page.locator(f"input[name=account][value='{smallest['id']}']")
    if account_choice.count():
        account_choice.check()
    review_screen("consent")
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")

    profile = wait_for(lambda: Profile.objects.filter(meta_id=smallest["id"]).first(), what="the profile")
    wait_for(
        lambda: Profile.objects.filter(pk=profile.pk, backfill_finished_at__isnull=False).exists(),
        what="the backfill",
    )
    page.goto(live_server.url + reverse("profile", args=[profile.pk]))
    assert page.locator("#profile-counters").is_visible()
    review_screen("profile")

    # The day's metrics are rebuilt by a task queued when the backfill ends: a reviewer this quick
    # sees the posts being counted, and the page shows the rates by itself once they are.
    page.goto(live_server.url + reverse("engagement", args=[profile.pk]) + "?period=90")
    page.locator("#stat-er_reach").wait_for(timeout=60_000)
    assert page.locator("#empty-period").count() == 0
    review_screen("engagement")

    # Someone comments on Instagram: the webhook brings it in (polling would too, on its schedule).
    sandbox.send_webhook(live_server.url + reverse("webhooks:meta"), "comments", account=smallest["username"])
    comment = wait_for(
        lambda: Comment.objects.filter(profile=profile, parent=None, is_deleted=False).order_by("-timestamp").first(),
        what="the new comment",
        timeout=60,
    )
    comments_url = live_server.url + reverse("comments", args=[profile.pk]) + f"?media={comment.media_id}"
    page.goto(comments_url)
    page.fill(f"#reply-{comment.pk}", "Obrigado pelo comentário! 💙")
    page.click(f"#comment-{comment.pk} .reply-form button")
    page.wait_for_selector(f'#comment-{comment.pk} .action-state[data-status="done"]', timeout=60_000)
    review_screen("comment-reply")

    page.click(f"#comment-{comment.pk} button[value=hide]")
    wait_for(lambda: CommentAction.objects.filter(kind="hide", status=ActionStatus.DONE).exists(), what="the hide")
    page.goto(comments_url)
    assert page.locator(f"#comment-{comment.pk} .badge", has_text="Hidden").count() == 1
    review_screen("hide")

    sandbox.send_webhook(live_server.url + reverse("webhooks:meta"), "messages", account=smallest["username"])
    conversation = wait_for(lambda: Conversation.objects.filter(profile=profile).first(), what="a conversation")
    page.goto(live_server.url + reverse("conversation", args=[profile.pk, conversation.pk]))
    page.fill("#message-text", "Olá! Como podemos ajudar?")
    page.click(".reply-form button")
    reply = wait_for(
        lambda: MessageReply.objects.exclude(status=ActionStatus.PENDING).first(), timeout=60, what="the DM reply"
    )
    assert reply.status == ActionStatus.DONE, reply.error
    page.reload()
    assert page.locator(".bubble-out", has_text="Olá! Como podemos ajudar?").count() == 1
    review_screen("message-reply")

    page.goto(live_server.url + reverse("accounts:connected"))
    page.locator("tr.connected-asset").first.get_by_role("link", name="Disconnect").click()
    page.check("input[value=delete]")
    page.click("#confirm-disconnect")
    page.wait_for_selector(".message-success")
    review_screen("disconnect")
