"""`make review-screens`: the App Review walk-through, one numbered PNG per step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ARTIFACTS, ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screens-dir",
        default=str(ARTIFACTS / "review-screens"),
        help="where the numbered screenshots of the App Review walk-through are written",
    )


@pytest.fixture
def review_screen(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save `NN-step.png` in --screens-dir, numbering the steps in order."""
    folder = Path(request.config.getoption("--screens-dir"))
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
