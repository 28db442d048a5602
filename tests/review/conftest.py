"""`make review-screens`: the App Review walk-through, one numbered PNG per step;
`make review-videos`: one screencast per permission (test_review_videos.py)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import playwright
import pytest

from tests.conftest import ARTIFACTS, ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screens-dir",
        default="",
        help="where the numbered screenshots of the App Review walk-through and every page's are written "
        "(make review-screens); empty: the walk-through's under var/test-artifacts, no page screenshots",
    )
    parser.addoption(
        "--videos-dir",
        default="",
        help="record one App Review screencast per permission there (make review-videos); empty: none",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Playwright records video through its own ffmpeg build, which cannot be downloaded here (like
    its chromium, PITFALLS.md): Debian's ffmpeg stands in, where Playwright looks for it. Done before
    the Playwright driver starts, since it reads PLAYWRIGHT_BROWSERS_PATH once."""
    if not config.getoption("--videos-dir", default=""):
        return
    system_ffmpeg = shutil.which("ffmpeg")
    if system_ffmpeg is None:
        raise pytest.UsageError("recording needs ffmpeg: apt-get install ffmpeg (make review-videos does it)")
    browsers = json.loads((Path(playwright.__file__).parent / "driver/package/browsers.json").read_text())
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "ffmpeg")
    folder = ARTIFACTS / "playwright" / f"ffmpeg-{revision}"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "ffmpeg-linux"
    if not link.exists():
        link.symlink_to(system_ffmpeg)
    (folder / "INSTALLATION_COMPLETE").touch()
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(folder.parent)


@pytest.fixture
def review_screen(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save `NN-step.png` in --screens-dir, numbering the steps in order."""
    folder = Path(request.config.getoption("--screens-dir") or ARTIFACTS / "review-screens")
    if not folder.is_absolute():
        folder = ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    counter = iter(range(1, 100))

    def take(step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
