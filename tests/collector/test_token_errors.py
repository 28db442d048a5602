"""An expired token stops the profile's work at the first refused call: the credential is marked
needs_reconnect (accounts.token_errors.handle_token_error), nothing is retried, and no later job
calls Meta with that token again."""

from __future__ import annotations

from accounts.models import CredentialStatus
from collector.models import CollectionRun, CollectionStatus, RunKind, RunOutcome
from collector.tasks import backfill_profile, poll_comments, snapshot_profile, sync_profile


def test_an_expired_token_stops_the_work_and_flags_the_credential_without_retrying(
    sandbox, connect, workers
) -> None:
    workers(1)
    profile = connect("token.expired", media=30)
    token = profile.credential.token
    sandbox.fail(token=token, mode="expired")
    sandbox.reset_calls()

    assert backfill_profile.delay(profile.pk).get(timeout=60) == RunOutcome.NEEDS_RECONNECT

    run = CollectionRun.objects.get()  # one run: no retry was queued
    assert (run.kind, run.outcome, run.graph_calls) == (RunKind.BACKFILL, RunOutcome.NEEDS_RECONNECT, 1)
    credential = profile.credential
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.NEEDS_RECONNECT
    assert "190" in credential.last_error and token not in credential.last_error
    profile.refresh_from_db()
    assert profile.collection_status == CollectionStatus.NEEDS_RECONNECT
    assert sandbox.calls(token=token)["total"] == 1

    for task in (sync_profile, snapshot_profile, poll_comments):
        assert task.delay(profile.pk).get(timeout=30) == "no usable credential"
    assert sandbox.calls(token=token)["total"] == 1
    assert CollectionRun.objects.count() == 1
