"""`make review-videos`: one screencast per permission /review/ lists (and the Human Agent feature),
WebM 1280x720 from Playwright's recording of headless chromium, against the sandbox with a real worker.

Each video starts at the login and shows the permission's feature in use under our caption bar
(review mode, /review/record/<scope>/), which the test reads on the recorded page at every step.
The accounts are connected once before recording, so each video's login is a quick reconnection.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import CredentialKind
from collector.models import Comment, Media, Platform, Profile
from insights import review
from insights.models import ActionStatus, MessageReply
from tests.conftest import ROOT
from tests.review.test_review_walkthrough import wait_for
from webhooks.models import Conversation

pytestmark = pytest.mark.browser

SIZE = {"width": 1280, "height": 720}
READ_MS = 1800  # how long a caption stays before the next click: long enough to read it
MAX_SECONDS = 180


@dataclass
class Reel:
    """One recording: the page, the permission it shows, and what the caption bar said."""

    page: Any
    base: str
    scope: str
    captions: list[str] = field(default_factory=list)

    def caption(self, text: str) -> None:
        self.page.evaluate("text => { window.location.hash = 'caption=' + encodeURIComponent(text) }", text)
        self._check(text)

    def visit(self, path: str, text: str) -> None:
        self.page.goto(f"{self.base}{path}#caption={quote(text)}")
        self.page.wait_for_load_state("networkidle")
        self._check(text)

    def _check(self, text: str) -> None:
        bar = self.page.locator("#review-caption")
        bar.locator(".review-caption-step", has_text=text).wait_for()
        assert bar.get_attribute("data-scope") == self.scope
        assert self.scope in bar.inner_text(), "the caption bar names the permission"
        self.captions.append(text)
        self.page.wait_for_timeout(READ_MS)


@dataclass
class Lab:
    sandbox: Any
    base: str
    instagram: Profile  # connected by Instagram Login
    linked: Profile  # the Page's Instagram account, connected by Facebook Login
    page: Profile  # the Facebook Page


def videos_dir(request: pytest.FixtureRequest) -> Path:
    option = request.config.getoption("--videos-dir", default="")
    if not option:
        pytest.skip("make review-videos records the screencasts (--videos-dir)")
    folder = Path(option) if Path(option).is_absolute() else ROOT / option
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.webm"):
        old.unlink()
    return folder


def log_in(page: Any, base: str, login: str, account_id: str = "") -> None:
    page.goto(base + reverse("home"))
    page.click(f"#continue-{login}")
    page.wait_for_selector("#allow")
    if account_id:
        page.check(f"input[name=account][value='{account_id}']")
    page.wait_for_timeout(READ_MS)  # Meta's consent screen: no caption bar of ours there
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")


def fresh_login(browser: Any, base: str, login: str, account_id: str = "") -> None:
    context = browser.new_context()
    log_in(context.new_page(), base, login, account_id)
    context.close()


def connect_everything(browser: Any, base: str, sandbox: Any) -> Lab:
    """Before recording: both logins once, each in a signed-out browser of its own, the Facebook one
    once the small Instagram account has its first posts and its conversations. The backfill goes on
    while recording (the pages say so): waiting for its end could outlast the hourly call budget."""
    # The sandbox's account ids are fixed: a previous run's call counts and pauses, kept in Redis for
    # an hour, would otherwise throttle this run's collection.
    broker = redis.Redis.from_url(settings.REDIS_URL)
    for key in broker.scan_iter("meta:rl:*"):
        broker.delete(key)
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
    reel.page.mouse.wheel(0, 600)
    reel.caption("Charts, top posts and the best time to post, from the insights")
    reel.visit(url + "?period=90", "The period changed to 90 days, compared with the previous one")


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
    reel.page.click(f"#comment-{comment.pk} button[value=hide]")
    reel.page.wait_for_load_state("networkidle")
    reel.caption("Hiding the comment: it is hidden on Instagram too")


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
    reel.caption("The reply is sent; nothing automated ever uses the tag")


def pages_list_scene(reel: Reel, lab: Lab) -> None:
    reel.visit(reverse("accounts:connected"), "The Pages the person manages, with their Instagram accounts")
    reel.visit(reverse("dashboard"), "The chosen Page and its Instagram account on the dashboard")


def publish_scene(reel: Reel) -> None:
    """No screen of ours lists stories: stores use the Story API, whose documentation (Swagger, a page
    without our caption bar) is shown between two captioned explanations."""
    reel.visit(reverse("review_kit"), "Stories are published for the lab's stores")
    reel.page.locator(f"#permission-{reel.scope}").scroll_into_view_if_needed()
    reel.caption("Next: the Story API that stores call to queue a story")
    reel.page.goto(reel.base + reverse("api-docs"))
    reel.page.wait_for_load_state("networkidle")
    reel.page.wait_for_timeout(2 * READ_MS)
    reel.visit(reverse("review_instructions"), "The worker publishes each queued story and the API reports it")


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
        review.PUBLISH: publish_scene,
        review.PAGES_POSTS: publish_scene,
        review.PAGES_LIST: lambda reel: pages_list_scene(reel, lab),
        review.PAGES_ENGAGEMENT: lambda reel: profile_scene(reel, lab.page),
        review.PAGES_METADATA: lambda reel: live_comment_scene(reel, lab, lab.linked),
    }
    return scenes[permission.use]


def duration(video: Path) -> float:
    """Seconds of video, decoded by ffmpeg: Playwright's WebM carries no duration in its header."""
    decoded = subprocess.run(
        ["ffmpeg", "-i", str(video), "-f", "null", "-"], capture_output=True, text=True, check=True
    )
    stamps = re.findall(r"time=(\d+):(\d+):([\d.]+)", decoded.stderr)
    hours, minutes, seconds = stamps[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def record(browser: Any, lab: Lab, permission: review.Permission, folder: Path) -> tuple[Path, float, Reel]:
    """One video: a fresh browser (so the login is seen), review mode on, login, the scene."""
    context = browser.new_context(viewport=SIZE, record_video_dir=str(folder / "raw"), record_video_size=SIZE)
    page = context.new_page()
    reel = Reel(page, lab.base, permission.scope)
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


def write_index(folder: Path, recorded: list[tuple[review.Permission, Path, float]]) -> None:
    rows = "\n".join(
        f"<li><h2><code>{p.scope}</code> ({p.login}, {seconds:.0f} s)</h2>"
        f'<video src="{video.name}" controls width="640" preload="metadata"></video></li>'
        for p, video, seconds in recorded
    )
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>SocialDataLab · App Review screencasts</title>'
        f"<h1>App Review screencasts, one per permission</h1><ul>{rows}</ul></html>\n",
        encoding="utf-8",
    )
