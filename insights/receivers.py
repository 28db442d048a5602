"""Rebuild the daily aggregates after each collection that may have changed media or insights.

The collector does not know insights exists (imports run insights -> collector), so insights
listens to the CollectionRun the collector saves when a run ends.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from collector.models import CollectionRun, RunKind, RunOutcome

# Comment polling and daily snapshots do not touch media or their insights.
REBUILDING_KINDS = frozenset(kind for kind in RunKind.values if kind not in (RunKind.COMMENTS, RunKind.SNAPSHOT))


@receiver(post_save, sender=CollectionRun)
def rebuild_after_collection(sender: Any, instance: CollectionRun, created: bool, **_: Any) -> None:
    if instance.finished_at is None or instance.outcome != RunOutcome.OK or instance.kind not in REBUILDING_KINDS:
        return
    from insights.tasks import rebuild_daily_metrics

    profile_id = instance.profile_id
    transaction.on_commit(lambda: rebuild_daily_metrics.delay(profile_id))
