"""The suite's Celery worker between tests (tests/conftest.py's SuiteWorker): quiesced, it keeps
nothing that would run after the database is flushed, a retry's countdown included."""

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
    lab = account("ifma.caxias")
    # No credential: run at any time, the task would end the reply as failed at once, no Meta call.
    Profile.objects.filter(pk=lab.profile.pk).update(credential=None)
    conversation = Conversation.objects.create(profile=lab.profile, participant_id="6500000000000777")
    reply = MessageReply.objects.create(conversation=conversation, text="Olá!")
    send_message_reply.apply_async((reply.pk,), countdown=4)
    wait_for(lambda: _held(suite_worker), timeout=30, what="the worker holding the task for its countdown")

    suite_worker.quiesce()
    time.sleep(6)

    reply.refresh_from_db()
    assert reply.status == ActionStatus.PENDING, "the task ran after the quiesce"


def _held(suite_worker: Any) -> bool:
    from socialdatalab.celery import app

    scheduled = app.control.inspect(destination=[suite_worker.node], timeout=1).scheduled() or {}
    return any(scheduled.values())
