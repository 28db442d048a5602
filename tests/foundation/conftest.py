"""Fixtures of the launcher tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.foundation.launcher import start_redis


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[str]:
    """The URL of a redis-server started for this test alone, stopped at its end."""
    folder = tmp_path / "redis"
    folder.mkdir()
    process, url = start_redis(folder)
    yield url
    process.terminate()
    process.wait(timeout=10)
