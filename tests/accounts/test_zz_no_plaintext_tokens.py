"""Runs last in tests/accounts (module name): no token met during the session is stored or logged in
plain text. Each test is also checked as it ends (the `sandbox` fixture in conftest.py), because the
database is rolled back between tests; this sweeps what is left, and the Celery worker's log."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.conftest import SESSION_TOKENS, plaintext_hits
from tests.conftest import ARTIFACTS


@pytest.mark.django_db
def test_no_token_of_the_session_is_in_any_text_column_or_the_worker_log(
    sandbox: Any, owner: Any, organization: Any, connect: Any
) -> None:
    stored = connect(organization, owner, "facebook")
    tokens = SESSION_TOKENS | {credential.token for credential in stored}

    assert len(tokens) >= 3
    assert plaintext_hits(tokens) == []
    for log in ARTIFACTS.glob("celery-*.log"):
        text = log.read_text(errors="replace")
        assert [token[-6:] for token in tokens if token in text] == [], f"a token is in {log.name}"
