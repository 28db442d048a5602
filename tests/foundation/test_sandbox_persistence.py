"""The sandbox's state file (`--state-file`, what `make run` uses): a restarted sandbox knows what
the last one knew, whatever attributes State has, and refuses a file from another shape of State."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.persist import Persister
from sandbox.state import State


class ExtendedState(State):
    """State as another engineer may extend it: a new attribute, set in reset()."""

    def reset(self) -> None:
        super().reset()
        self.notes: dict[str, str] = {}


def _restarted(cls: type[State], path: Path) -> tuple[State, bool]:
    state = cls(42)
    return state, Persister(state, path).load()


def test_it_gives_a_restarted_sandbox_the_tokens_comments_and_new_attributes_of_the_last(tmp_path: Path) -> None:
    path = tmp_path / "sandbox-state.pickle"
    state = ExtendedState(42)
    acct = state.accounts[2]
    token = state.mint(state.new_grant("instagram", acct, None), 0).token
    comment = state.add_comment(state.feed_at(acct, 0), "Quando abrem as inscrições?")
    state.notes["seen"] = "yes"
    Persister(state, path).close()

    again, loaded = _restarted(ExtendedState, path)

    assert loaded
    assert again.tokens[token].account_no == acct.no
    assert again.comment(comment["id"])["text"] == "Quando abrem as inscrições?"
    assert again.notes == {"seen": "yes"}
    assert again.new_id("178") != comment["id"], "ids go on from where they were"
    assert not list(tmp_path.glob(".sandbox-state.pickle.*")), "no temporary file is left behind"


def test_it_discards_with_a_message_a_file_written_by_another_shape_of_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sandbox-state.pickle"
    state = ExtendedState(42)
    state.mint(state.new_grant("instagram", state.accounts[1], None), 0)
    Persister(state, path).close()

    again, loaded = _restarted(State, path)

    assert not loaded and again.tokens == {}
    assert "discarded" in capsys.readouterr().err
