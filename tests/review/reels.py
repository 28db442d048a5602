"""The recording machinery of `make review-videos` (test_review_videos.py): a reel is one browser
context recorded to WebM, whose caption bar (review mode) the test reads at every step."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from collector.models import Profile
from insights import review
from tests.conftest import ROOT

SIZE = {"width": 1280, "height": 720}
READ_MS = 1800  # how long a caption stays before the next click: long enough to read it
MS_PER_CHARACTER = 40  # and longer for a long caption
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

    def visit(self, path: str, text: str, in_query: bool = False) -> None:
        """`in_query`: the caption in ?caption=, for a page that owns its fragment (Swagger UI's deep links)."""
        separator = ("&" if "?" in path else "?") if in_query else "#"
        self.page.goto(f"{self.base}{path}{separator}caption={quote(text)}")  # waits for the load event
        self._check(text)

    def _check(self, text: str) -> None:
        bar = self.page.locator("#review-caption")
        bar.locator(".review-caption-step", has_text=text).wait_for()
        assert bar.get_attribute("data-scope") == self.scope
        assert self.scope in bar.inner_text(), "the caption bar names the permission"
        self.captions.append(text)
        self.page.wait_for_timeout(max(READ_MS, MS_PER_CHARACTER * len(text)))


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


def fresh_hour(sandbox: Any) -> None:
    """Each screencast is recorded as if in an hour of its own. A reviewer signs in once; this run signs
    in some twenty times within minutes, and every sign-in starts a collection: the sandbox's hourly usage
    (and our budget and pauses, kept in Redis) would soon pause collection and put "Meta asked us to slow
    down" over the pages being shown. A previous run's counts, kept for an hour, are dropped too."""
    sandbox.reset_calls()
    broker = redis.Redis.from_url(settings.REDIS_URL)
    for key in broker.scan_iter("meta:rl:*"):
        broker.delete(key)


def duration(video: Path) -> float:
    """Seconds of video, decoded by ffmpeg: Playwright's WebM carries no duration in its header."""
    decoded = subprocess.run(
        ["ffmpeg", "-i", str(video), "-f", "null", "-"], capture_output=True, text=True, check=True
    )
    stamps = re.findall(r"time=(\d+):(\d+):([\d.]+)", decoded.stderr)
    hours, minutes, seconds = stamps[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def write_index(folder: Path, recorded: list[tuple[review.Permission, Path, float]]) -> None:
    """docs/review-videos/index.html, in English like the captions, each video with what it shows."""
    with translation.override("en"):
        rows = "\n".join(
            f"<li><h2><code>{p.scope}</code> ({escape(str(p.login))}, {seconds:.0f} s)</h2>"
            f"<p>{escape(str(p.use.why)) if p.use else ''}</p>"
            f'<video src="{video.name}" controls width="640" preload="metadata"></video></li>'
            for p, video, seconds in recorded
        )
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>SocialDataLab · App Review screencasts</title>'
        f"<h1>App Review screencasts, one per permission</h1><ul>{rows}</ul></html>\n",
        encoding="utf-8",
    )
    raw = folder / "raw"  # Playwright's own files, moved out as each video was saved; a failed one stays
    if raw.is_dir() and not any(raw.iterdir()):
        raw.rmdir()
