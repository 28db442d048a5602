"""The suite's one way to wait: poll a condition until it holds, never sleep a fixed time.

Tests run on a loaded 2-core machine: a condition that holds in 1 s here may take 20 s there,
so every wait is on the condition with a generous timeout, and a fast machine never waits more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(
    check: Callable[[], T],
    timeout: float = 60.0,
    what: str = "the condition",
    *,
    every: float = 0.2,
    ignoring: tuple[type[BaseException], ...] = (),
) -> T:
    """Call `check` every `every` seconds until it returns something truthy, and return that.

    An exception of a type in `ignoring` (a server still starting) counts as "not yet". After
    `timeout` seconds the test fails with an AssertionError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except ignoring:
            pass
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} not reached within {timeout:.0f}s")
        time.sleep(every)
