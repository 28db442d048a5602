"""The Profile admin's "collect now" and "backfill now" actions queue tasks that a real worker
runs; the CollectionRun admin lists what they cost."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from collector.models import CollectionRun, Media, RunKind, RunOutcome
from tests.waiting import wait_for


def _admin() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456!"))
    return client


def test_collect_now_and_backfill_now_run_on_a_worker(sandbox, connect, workers) -> None:
    workers(1)
    profile = connect("admin.actions", media=25)
    client = _admin()
    changelist = reverse("admin:collector_profile_changelist")

    response = client.post(changelist, {"action": "collect_now", "_selected_action": [profile.pk]}, follow=True)
    assert "Sync queued." in response.content.decode()
    wait_for(lambda: CollectionRun.objects.filter(kind=RunKind.SYNC, outcome=RunOutcome.OK).exists(), 60, "sync")

    response = client.post(changelist, {"action": "backfill_now", "_selected_action": [profile.pk]}, follow=True)
    assert "Backfill queued." in response.content.decode()
    wait_for(
        lambda: CollectionRun.objects.filter(kind=RunKind.BACKFILL, outcome=RunOutcome.OK).exists(), 60, "backfill"
    )
    profile.refresh_from_db()
    assert profile.backfill_finished_at is not None
    assert Media.objects.filter(profile=profile).exclude(media_product_type="STORY").count() == 25

    runs = client.get(reverse("admin:collector_collectionrun_changelist")).content.decode()
    assert "Incremental sync" in runs and "Backfill" in runs
