"""A comment action whose task was lost (a killed worker, a Redis restart) is sent by beat's
re-queue (collector.stale_work) once it has outlived every retry, and only once."""

from __future__ import annotations

from django.utils import timezone

from collector.stale_work import MODERATION_STALE, requeue_stale_moderation
from insights.models import ActionKind, ActionStatus, CommentAction
from tests.insights.conftest import sandbox_comment
from tests.waiting import wait_for


def test_a_pending_hide_older_than_its_retries_is_sent_and_a_recent_one_waits(
    sandbox, sandbox_lab, celery_worker
) -> None:
    comment = sandbox_comment(sandbox, sandbox_lab)
    lost = CommentAction.objects.create(
        comment=comment, kind=ActionKind.HIDE, created_at=timezone.now() - MODERATION_STALE
    )
    recent = CommentAction.objects.create(comment=comment, kind=ActionKind.UNHIDE)

    assert requeue_stale_moderation() == 1
    assert requeue_stale_moderation() == 0  # re-queued once, not every minute

    wait_for(lambda: CommentAction.objects.get(pk=lost.pk).status != ActionStatus.PENDING, what="the hide")
    assert CommentAction.objects.get(pk=lost.pk).status == ActionStatus.DONE
    graph = sandbox_lab.profile.credential.graph_client()
    assert graph.get(f"/{comment.meta_id}", {"fields": "hidden"})["hidden"] is True
    assert CommentAction.objects.get(pk=recent.pk).status == ActionStatus.PENDING
