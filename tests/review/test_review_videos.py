"""`make review-videos`: one screencast per permission /review/ lists (and the Human Agent feature),
WebM 1280x720 from Playwright's recording of headless chromium, against the sandbox with a real worker.

Each video starts at the login and shows the permission's feature in use under our caption bar
(review mode, /review/record/<scope>/), which the test reads on the recorded page at every step.
The accounts are connected once before recording, so each video's login is a quick reconnection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import CredentialKind
from collector.models import Comment, Media, Platform, Profile
from insights import review
from insights.models import ActionStatus, MessageReply
from tests.review.reels import (
    MAX_SECONDS,
    SIZE,
    Lab,
    Reel,
    duration,
    fresh_hour,
    fresh_login,
    log_in,
    videos_dir,
    write_index,
)
from tests.review.story_scene import story_scene
from tests.review.test_review_walkthrough import wait_for
from webhooks.models import Conversation

pytestmark = pytest.mark.browser


def connect_everything(browser: Any, base: str, sandbox: Any) -> Lab:
    """Before recording: both logins once, each in a signed-out browser of its own, the Facebook one
    once the small Instagram account has its first posts and its conversations. The backfill goes on
    while recording (the pages say so): waiting for its end could outlast the hourly call budget."""
    fresh_hour(sandbox)
    smallest = min((a for a in sandbox.accounts() if a["kind"] == "instagram"), key=lambda a: a["media_count"])
    mine = Profile.objects.filter(meta_id=smallest["id"], credential__kind=CredentialKind.INSTAGRAM_USER)
    fresh_login(browser, base, "instagram", smallest["id"])
    instagram = wait_for(mine.first, what="the profile")
    wait_for(lambda: Media.objects.filter(profile=instagram).exists(), what="the first posts")
    wait_for(lambda: Conversation.objects.filter(profile=instagram).exists(), what="the conversations")
    fresh_login(browser, base, "facebook")
    facebook_page = wait_for(lambda: Profile.objects.filter(platform=Platform.FACEBOOK_PAGE).first(), what="the Page")
    linked = wait_for(
        lambda: Profile.objects.filter(platform=Platform.INSTAGRAM, credential__kind=CredentialKind.PAGE).first(),
        what="the Page's Instagram account",
    )
    return Lab(sandbox, base, instagram, linked, facebook_page)


# -- scenes: what each permission's video shows after the login ----------------------------------------


def profile_scene(reel: Reel, profile: Profile) -> None:
    reel.visit(reverse("profile", args=[profile.pk]), "The account's profile, read from Meta")
    reel.page.mouse.wheel(0, 500)
    reel.caption("Its follower growth and its posts")


def insights_scene(reel: Reel, profile: Profile) -> None:
    url = reverse("engagement", args=[profile.pk])
    reel.visit(url + "?period=30", "Insights: engagement rates computed from Meta's insights")
    reel.page.locator("#time-title").scroll_into_view_if_needed()
    reel.caption("Reach, views and interactions over time, from the insights")
    reel.page.locator("#posts-title").scroll_into_view_if_needed()
    reel.caption("The posts with the best and the worst engagement")
    reel.page.locator("#heatmap-title").scroll_into_view_if_needed()
    reel.caption("The best time to post, from when past posts engaged most")
    reel.visit(url + "?period=90", "The period changed to 90 days, compared with the previous one")
    reel.page.locator("#rates-title").scroll_into_view_if_needed()
    reel.caption("Each rate against the previous 90 days")


def comments_scene(reel: Reel, lab: Lab, profile: Profile) -> None:
    lab.sandbox.send_webhook(lab.base + reverse("webhooks:meta"), "comments", account=profile.username)
    comment = wait_for(
        lambda: Comment.objects.filter(profile=profile, parent=None).order_by("-first_seen_at").first(), timeout=60
    )
    reel.visit(reverse("comments", args=[profile.pk]) + f"?media={comment.media_id}", "Comments on a post")
    reel.page.locator(f"#comment-{comment.pk}").scroll_into_view_if_needed()
    reel.page.fill(f"#reply-{comment.pk}", "Obrigado pelo comentário!")
    reel.caption("Replying to a comment")
    reel.page.click(f"#comment-{comment.pk} .reply-form button")
    reel.page.wait_for_selector(f'#comment-{comment.pk} .action-state[data-status="done"]', timeout=60_000)
    reel.caption("The reply is published on Instagram")
    reel.page.locator(f"#comment-{comment.pk}").scroll_into_view_if_needed()
    reel.caption("Next: hiding the comment")
    reel.page.click(f"#comment-{comment.pk} button[value=hide]")
    wait_for(lambda: Comment.objects.filter(pk=comment.pk, hidden=True).exists(), timeout=60, what="the hidden comment")
    reel.page.reload()
    reel.page.locator(f"#comment-{comment.pk}").scroll_into_view_if_needed()
    reel.page.locator(f"#comment-{comment.pk} button[value=unhide]").wait_for()
    reel.caption("The comment is hidden on Instagram too, and can be unhidden")


def live_comment_scene(reel: Reel, lab: Lab, profile: Profile) -> None:
    reel.visit(reverse("comments", args=[profile.pk]), "The Page is subscribed to webhooks: live comments")
    lab.sandbox.send_webhook(lab.base + reverse("webhooks:meta"), "comments", account=profile.username)
    wait_for(lambda: Comment.objects.filter(profile=profile, source="webhook").exists(), timeout=60)
    reel.caption("A new comment arrived by webhook, without reloading the page")


def messages_scene(reel: Reel, lab: Lab, profile: Profile) -> None:
    lab.sandbox.send_webhook(lab.base + reverse("webhooks:meta"), "messages", account=profile.username)
    conversation = wait_for(
        lambda: Conversation.objects.filter(profile=profile).order_by("-last_message_at").first(), timeout=60
    )
    reel.visit(reverse("conversation", args=[profile.pk, conversation.pk]), "A direct message, within 24 hours")
    reel.page.locator(".reply-form").scroll_into_view_if_needed()
    reel.page.fill("#message-text", "Olá! Como podemos ajudar?")
    reel.caption("Answering it: a person types the reply")
    reel.page.click(".reply-form button")
    wait_for(lambda: MessageReply.objects.filter(conversation=conversation).exclude(status=ActionStatus.PENDING))
    reel.page.reload()
    reel.page.locator(".bubble-out").last.scroll_into_view_if_needed()
    reel.caption("The reply is sent to Instagram and shown in the thread")


def human_agent_scene(reel: Reel, lab: Lab, profile: Profile) -> None:
    """The sandbox seeds a conversation whose last message is 30 hours old (sandbox/data.py)."""
    now = timezone.now()
    window = Conversation.objects.filter(
        profile=profile, last_message_at__lt=now - timedelta(hours=24), last_message_at__gt=now - timedelta(days=7)
    )
    conversation = wait_for(lambda: window.order_by("last_message_at").first(), timeout=60, what="a 30 h thread")
    reel.visit(
        reverse("conversation", args=[profile.pk, conversation.pk]),
        "Their last message is over 24 hours old: the Human Agent window applies",
    )
    assert reel.page.locator("#window-state").get_attribute("data-window") == "human_agent"
    reel.page.locator(".reply-form").scroll_into_view_if_needed()
    reel.page.fill("#message-text", "Desculpe a demora! Já verificamos o seu pedido.")
    reel.caption("Only a person, clicking Send here, replies with the HUMAN_AGENT tag")
    reel.page.click(".reply-form button")
    wait_for(lambda: MessageReply.objects.filter(conversation=conversation).exclude(status=ActionStatus.PENDING))
    reel.page.reload()
    reel.page.locator(".bubble-out").last.scroll_into_view_if_needed()
    reel.caption("The reply is sent with the tag; nothing automated ever uses it")
    reel.page.locator(".conversation-list a", has=reel.page.locator("[data-window=closed]")).first.click()
    reel.page.locator("#window-closed").scroll_into_view_if_needed()
    assert reel.page.locator("#message-text").count() == 0, "no reply box after 7 days"
    reel.caption("Over 7 days since their last message: the reply box is closed, with the reason")


def pages_list_scene(reel: Reel, lab: Lab) -> None:
    reel.visit(reverse("accounts:connected"), "The Pages the person manages, with their Instagram accounts")
    reel.visit(reverse("dashboard"), "The chosen Page and its Instagram account on the dashboard")


def by_instagram_login(permission: review.Permission) -> bool:
    """Instagram Login's scopes, and Human Agent (shown on the account connected that way)."""
    return permission.scope in settings.META_INSTAGRAM_SCOPES or permission.use is review.HUMAN_AGENT


def scene_for(permission: review.Permission, lab: Lab) -> Callable[[Reel], None]:
    account = lab.instagram if by_instagram_login(permission) else lab.linked
    scenes: dict[review.Use, Callable[[Reel], None]] = {
        review.BASIC: lambda reel: profile_scene(reel, account),
        review.INSIGHTS: lambda reel: insights_scene(reel, account),
        review.PAGE_INSIGHTS: lambda reel: insights_scene(reel, lab.page),
        review.COMMENTS: lambda reel: comments_scene(reel, lab, account),
        review.MESSAGES: lambda reel: messages_scene(reel, lab, account),
        review.HUMAN_AGENT: lambda reel: human_agent_scene(reel, lab, lab.instagram),
        review.PUBLISH: lambda reel: story_scene(reel, lab.linked, "instagram"),
        review.PAGES_POSTS: lambda reel: story_scene(reel, lab.page, "facebook"),
        review.PAGES_LIST: lambda reel: pages_list_scene(reel, lab),
        review.PAGES_ENGAGEMENT: lambda reel: profile_scene(reel, lab.page),
        review.PAGES_METADATA: lambda reel: live_comment_scene(reel, lab, lab.linked),
    }
    return scenes[permission.use]


def record(browser: Any, lab: Lab, permission: review.Permission, folder: Path) -> tuple[Path, float, Reel]:
    """One video: a fresh browser (so the login is seen), review mode on, login, the scene."""
    context = browser.new_context(viewport=SIZE, record_video_dir=str(folder / "raw"), record_video_size=SIZE)
    page = context.new_page()
    reel = Reel(page, lab.base, permission.scope)
    fresh_hour(lab.sandbox)
    try:
        page.goto(lab.base + reverse("review_record", args=[permission.scope]))
        reel.caption(f"Permission {permission.scope}: the reviewer signs in")
        if by_instagram_login(permission):
            log_in(page, lab.base, "instagram", lab.instagram.meta_id)
        else:
            log_in(page, lab.base, "facebook")
        reel.caption("Signed in: the dashboard lists the connected accounts")
        scene_for(permission, lab)(reel)
    finally:
        context.close()
    target = folder / f"{permission.scope}.webm"
    page.video.save_as(str(target))
    page.video.delete()
    return target, duration(target), reel


# The suite's 300 s per test is too short for 15 videos. The goal is 10 minutes on an idle machine; on a
# shared one it takes longer, and a timeout would throw away the videos already made.
@pytest.mark.timeout(1800)
def test_it_records_one_screencast_per_permission_with_its_caption(
    transactional_db: None,
    sandbox: Any,
    celery_worker: None,
    live_server: Any,
    browser: Any,
    request: pytest.FixtureRequest,
) -> None:
    folder = videos_dir(request)
    lab = connect_everything(browser, live_server.url, sandbox)
    failures: dict[str, str] = {}
    recorded: list[tuple[review.Permission, Path, float]] = []
    for permission in review.permissions():
        try:
            video, seconds, reel = record(browser, lab, permission, folder)
        except Exception as error:  # one broken scene must not cost the other videos
            failures[permission.scope] = f"{type(error).__name__}: {error}"
            continue
        assert reel.captions, f"{permission.scope}: the caption bar never showed"
        recorded.append((permission, video, seconds))
    write_index(folder, recorded)
    for permission, video, seconds in recorded:
        assert video.stat().st_size > 50_000, f"{video.name} is empty"
        assert 10 < seconds < MAX_SECONDS, f"{permission.scope}: {seconds:.0f}s"
    assert not failures, failures
