"""Nothing automated ever sends Meta's HUMAN_AGENT tag: only a member's click on the messages page.

The tag is written in one place (meta.messaging.send_text, behind `human_agent=`); that flag is
passed only by the send task, read from the MessageReply row, and the row is marked only by the
messages view's request_reply, from the window the member saw when clicking Send."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "collector", "insights", "meta", "publishing", "socialdatalab", "webhooks")


def _sources() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text())
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def _calls_with_keyword(tree: ast.Module, keyword: str) -> list[ast.Call]:
    return [
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and any(k.arg == keyword for k in node.keywords)
    ]


def _function_of(tree: ast.Module, target: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(child is target for child in ast.walk(node)):
            return node.name
    return ""


def test_it_writes_the_tag_only_in_the_send_api_client() -> None:
    # The values Meta reads; prose that names the tag (review page, docstrings) is not a value.
    holders = {
        (name, node.value)
        for name, tree in _sources().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in ("HUMAN_AGENT", "MESSAGE_TAG")
    }
    assert holders == {("meta/messaging.py", "HUMAN_AGENT"), ("meta/messaging.py", "MESSAGE_TAG")}


def test_it_lets_only_the_send_task_and_a_members_click_set_human_agent() -> None:
    passers = {
        (name, _function_of(tree, call), ast.unparse(next(k.value for k in call.keywords if k.arg == "human_agent")))
        for name, tree in _sources().items()
        for call in _calls_with_keyword(tree, "human_agent")
    }
    assert passers == {
        # The task copies what the row says, and nothing else.
        ("insights/tasks.py", "send_message_reply", "reply.human_agent"),
        # The row says it when a member clicked Send in the Human Agent window.
        ("insights/messaging.py", "request_reply", "human_agent"),
        ("insights/message_views.py", "message_reply", "window == messaging.HUMAN_AGENT"),
    }


def test_it_queues_replies_only_from_the_messages_view() -> None:
    callers = {
        (name, _function_of(tree, node))
        for name, tree in _sources().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "request_reply"
    }
    senders = {
        (name, _function_of(tree, node))
        for name, tree in _sources().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "send_text"
    }
    # Every use of the send task, whatever it is called through (.delay, .apply_async, an alias).
    queuers = {
        (name, _function_of(tree, node))
        for name, tree in _sources().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "send_message_reply"
    }
    assert callers == {("insights/message_views.py", "message_reply")}
    assert senders == {("insights/tasks.py", "send_message_reply")}
    # No beat schedule, receiver or other task queues a reply of its own: request_reply queues the row a
    # member's click stored, and the stale-work sweep re-queues such a row still pending once its
    # message to the worker was lost (the same click, delivered late; Meta refuses it past the window).
    assert queuers == {
        ("insights/messaging.py", "request_reply"),
        ("collector/stale_work.py", "requeue_stale_moderation"),
    }


def test_nothing_marks_a_stored_reply_as_human_agent_afterwards() -> None:
    # A row is created with its window (request_reply) and its flag is never written again: not by an
    # assignment, nor by a queryset update (a call with the keyword, caught above), nor by setattr.
    writers = {
        (name, _function_of(tree, node))
        for name, tree in _sources().items()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "human_agent" and isinstance(node.ctx, ast.Store))
        or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and any(isinstance(arg, ast.Constant) and arg.value == "human_agent" for arg in node.args)
        )
    }
    assert writers == set()
