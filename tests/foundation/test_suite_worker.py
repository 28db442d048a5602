"""The suite's Celery worker between tests (tests/conftest.py's SuiteWorker): quiesced, it keeps
nothing that would run after the database is flushed, a retry's countdown included, and takes no
task until a test asks for it again."""

from __future__ import annotations

import time
from typing import Any

from collector.models import Profile
from insights.models import ActionStatus, MessageReply
from insights.tasks import send_message_reply
from tests.insights.builders import account
from tests.waiting import wait_for
from webhooks.models import Conversation


def test_a_task_held_for_its_countdown_never_runs_after_the_quiesce(celery_worker: None, suite_worker: Any) -> None:
    reply = _reply_that_fails_at_once()
    send_message_reply.apply_async((reply.pk,), countdown=4)
    wait_for(lambda: _held(suite_worker), timeout=30, what="the worker holding the task for its countdown")

    suite_worker.quiesce()
    time.sleep(6)

    reply.refresh_from_db()
    assert reply.status == ActionStatus.PENDING, "the task ran after the quiesce"


def test_a_quiesced_worker_takes_no_task_until_a_test_asks_for_it(celery_worker: None, suite_worker: Any) -> None:
    suite_worker.quiesce()  # what the end of the previous test did
    reply = _reply_that_fails_at_once()
    send_message_reply.delay(reply.pk)  # a test that wants no worker queues a task
    time.sleep(3)
    reply.refresh_from_db()
    assert reply.status == ActionStatus.PENDING, "a worker nobody asked for ran the task"

    suite_worker.start()  # the next test that asks for the worker
    send_message_reply.delay(reply.pk)
    assert wait_for(lambda: MessageReply.objects.get(pk=reply.pk).status == ActionStatus.FAILED, timeout=30)


def _reply_that_fails_at_once() -> MessageReply:
    """A pending reply whose task, whenever it runs, ends it as failed at once: no credential, no Meta call."""
    lab = account("ifma.caxias")
    Profile.objects.filter(pk=lab.profile.pk).update(credential=None)
    conversation = Conversation.objects.create(profile=lab.profile, participant_id="6500000000000777")
    return MessageReply.objects.create(conversation=conversation, text="Olá!")


def _held(suite_worker: Any) -> bool:
    from socialdatalab.celery import app

    scheduled = app.control.inspect(destination=[suite_worker.node], timeout=1).scheduled() or {}
    return any(scheduled.values())
