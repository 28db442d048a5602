"""A job still calling with a credential's old token when the credential gets a new one (a reconnect,
or seed_demo re-minting right after a restart while earlier tasks run) must not break the credential:
the old token's 190 is not the new token's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.foundation.launcher import wait
from tests.sandbox_process import connect_instagram_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_keeps_a_credential_renewed_while_a_backfill_still_called_with_its_old_token(
    celery_worker: None, sandbox: Any
) -> None:
    from accounts.models import CredentialStatus
    from collector.models import CollectionStatus, Profile
    from collector.tasks import backfill_profile

    profile = connect_instagram_account(sandbox.url, "renewed.midjob", media=60)
    credential, old_token = profile.credential, profile.credential.token
    sandbox.fail(mode="slow", token=old_token, delay=3, times=1)  # the job's first call, with the old token, lingers
    backfill_profile.delay(profile.pk)
    wait(lambda: Profile.objects.get(pk=profile.pk).collection_status == CollectionStatus.RUNNING, 30, "backfilling")

    new_token = sandbox.mint_token("instagram", "renewed.midjob")["access_token"]
    credential.renew(new_token, None)
    credential.save()
    sandbox.fail(mode="revoked", token=old_token)  # every later call of the running job gets a 190

    finished = lambda: Profile.objects.get(pk=profile.pk).backfill_finished_at  # noqa: E731
    wait(finished, 60, "the backfill finished with the new token")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE and credential.last_error == ""
    assert sandbox.calls(token=new_token)["total"] > 0
