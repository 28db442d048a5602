"""/review/ followed literally, right after connecting through the sandbox's consent screens.

Each step's text is read off /review/ before the test does what it says, so a step reworded there
without the product following (or the reverse) fails here. Runs on PostgreSQL and, in `make test`'s
second pass, on SQLite: the database a reviewer meets with `make run`'s defaults. Nothing is
pre-collected: what the pages show is what the first minutes after connecting bring.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from collector.models import CollectionRun, Comment, Profile, RunKind
from insights import review
from insights.models import ActionStatus, CommentAction, MessageReply
from tests.insights.browser import csp_watch
from tests.waiting import wait_for

pytestmark = pytest.mark.browser

INSTAGRAM_ACCOUNT = "17841400000000003"  # ifma.caxias, connected through Instagram Login
PAGE_ID = "20000000000000001"  # the Page behind "Continue with Facebook"
SIGN_IN_STEP = (
    "Approve the permissions on Meta's consent screen; you return to the dashboard listing the connected account."
)


class Kit:
    """The /review/ page as the reviewer reads it, and the steps it promises, in order."""

    def __init__(self, page: Any, live_server: Any, screen: Any) -> None:
        self.page, self.live_server, self.screen = page, live_server, screen
        page.goto(live_server.url + reverse("review_kit"))
        self.text = page.locator("main").inner_text()

    def step(self, promise: Any, name: str) -> None:
        """The step is on /review/; the caller then does what it says and checks what it promises."""
        with translation.override("en"):  # the reviewer's page is in English; so is the step read here
            promise = str(promise)
        assert promise in self.text, f"/review/ no longer says: {promise}"
        self.screen(name)

    def go(self, name: str, *args: Any, query: str = "") -> None:
        # static/js/comments.js reloads the page when an action it shows is done: a navigation
        # that its reload aborts is made again.
        url = self.live_server.url + reverse(name, args=args) + query
        wait_for(lambda: self.page.goto(url) or True, timeout=30, what=f"{name} opened", ignoring=(PlaywrightError,))


def collected_on_connect(meta_id: str) -> Profile:
    """The first minutes: the backfill and the account history (snapshots, insights) have run."""
    profile = wait_for(lambda: Profile.objects.filter(meta_id=meta_id).first(), what="the profile", timeout=120)
    wait_for(
        lambda: CollectionRun.objects.filter(profile=profile, kind=RunKind.HISTORY, finished_at__isnull=False).exists()
        and Profile.objects.filter(pk=profile.pk, backfill_finished_at__isnull=False).exists(),
        what="the first collection",
        timeout=180,
    )
    return Profile.objects.get(pk=profile.pk)


def action_done(kind: str) -> CommentAction | None:
    action = CommentAction.objects.filter(kind=kind).order_by("-pk").first()
    return action if action and action.status != ActionStatus.PENDING else None


def test_a_reviewer_follows_the_review_page_step_by_step_right_after_connecting(
    transactional_db: None, sandbox: Any, celery_worker: None, live_server: Any, page: Any, screenshot: Any
) -> None:
    csp_errors = csp_watch(page)
    page.goto(live_server.url + reverse("home"))
    page.click("#continue-instagram")
    page.check(f"input[name=account][value='{INSTAGRAM_ACCOUNT}']")
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    profile = collected_on_connect(INSTAGRAM_ACCOUNT)
    kit = Kit(page, live_server, screenshot)

    # instagram_business_basic
    kit.step(SIGN_IN_STEP, "connected")
    kit.go("dashboard")
    kit.step(review.OPEN_PROFILE, "dashboard")
    page.get_by_role("link", name=f"@{profile.username}").first.click()
    page.wait_for_selector("#profile-counters")
    kit.step(review.BASIC.steps[1], "profile")
    page.wait_for_selector(".chart.is-drawn[data-source=follower-series] canvas")  # drawn from the day-one snapshots
    assert "No daily snapshot yet" not in page.locator("main").inner_text()

    # instagram_business_manage_insights
    page.get_by_role("link", name="Engagement").click()
    kit.step(review.INSIGHTS.steps[1], "engagement")
    for card in ("#stat-er_reach", "#stat-account_reach", "#stat-account_views", "#stat-accounts_engaged"):
        value = page.locator(f"{card} .stat").inner_text().strip()
        assert value and value != "—", f"{card} shows no number on day one"
    assert page.locator("#heatmap").is_visible() and page.locator("#top-posts").is_visible()
    page.check(".period-picker input[name=period][value='7']")
    page.click(".period-picker button[type=submit]")
    page.wait_for_url("**period=7**")
    kit.step(review.INSIGHTS.steps[2], "engagement-7-days")
    assert page.locator("#stat-account_reach .stat").inner_text().strip() != "—"

    # instagram_business_manage_comments: the backfill brought the threads in
    page.get_by_role("link", name="Comments").click()
    kit.step(review.COMMENTS.steps[1], "comments")
    first = page.locator("li.thread[id^=comment-]").first
    comment = Comment.objects.get(pk=int(first.get_attribute("id").removeprefix("comment-")))
    graph = profile.credential.graph_client()
    page.fill(f"#reply-{comment.pk}", "Obrigado pelo comentário!")
    page.click(f"#comment-{comment.pk} .reply-form button")
    page.wait_for_selector(f'#comment-{comment.pk} .action-state[data-status="done"]', timeout=60_000)
    kit.step(review.COMMENTS.steps[2], "comment-reply")
    replies = graph.get(f"/{comment.meta_id}/replies", {"fields": "text"})["data"]
    assert any(reply["text"] == "Obrigado pelo comentário!" for reply in replies)

    page.click(f"#comment-{comment.pk} button[value=hide]")
    assert wait_for(lambda: action_done("hide"), timeout=60, what="the hide").status == ActionStatus.DONE
    assert graph.get(f"/{comment.meta_id}", {"fields": "hidden"})["hidden"] is True
    kit.step(review.COMMENTS.steps[3], "comment-hidden")
    kit.go("comment_delete", profile.pk, comment.pk)
    page.click("#confirm-delete")
    assert wait_for(lambda: action_done("delete"), timeout=60, what="the delete").status == ActionStatus.DONE
    assert not any(c["id"] == comment.meta_id for c in graph.get(f"/{comment.media.meta_id}/comments")["data"])

    # instagram_business_manage_messages: the inbox was read on connect, with usernames
    kit.go("messages", profile.pk)
    kit.step(review.MESSAGES.steps[1], "messages")
    listing = page.locator("main").inner_text()
    assert listing.count("@") >= 8, "conversations are not titled with usernames"
    closed = page.locator(".conversation-list a", has=page.locator("[data-window=closed]")).first
    closed.click()
    expect(page.locator("#window-closed")).to_be_visible()  # waits for the conversation to load
    assert page.locator("#message-text").count() == 0
    kit.screen("message-window-closed")
    kit.go("messages", profile.pk)
    page.locator(".conversation-list a:not(:has([data-window=closed]))").first.click()
    page.fill("#message-text", "Olá! Como podemos ajudar?")
    page.click(".reply-form button")
    sent = MessageReply.objects.exclude(status=ActionStatus.PENDING)
    reply = wait_for(sent.first, timeout=60, what="the DM")
    assert reply.status == ActionStatus.DONE, reply.error
    kit.step(review.MESSAGES.steps[2], "message-reply")

    # instagram_content_publish (Facebook Login): the Story API's documentation, rendered under the CSP
    page.goto(live_server.url + reverse("api-docs"))
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    assert any("/social-media/" in path for path in page.locator(".opblock-summary-path").all_inner_texts())
    kit.step(review.PUBLISH.steps[0], "api-docs")

    # Facebook Login: the Page's posts, on a second reviewer's first visit
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("home"))
    page.click("#continue-facebook")
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    page_profile = collected_on_connect(PAGE_ID)
    kit = Kit(page, live_server, screenshot)
    kit.step(review.CONNECT_FACEBOOK, "facebook-connected")
    kit.go("engagement", page_profile.pk, query="?period=90")
    assert page.locator("#top-posts tbody tr").count() >= 1, "the Page's posts are not shown"
    kit.screen("page-engagement")
    assert csp_errors == []
