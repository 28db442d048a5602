"""A moderation action Meta refuses for a missing permission ends like any task's: the credential asks for it again."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import Credential, CredentialStatus
from insights.models import ActionStatus, CommentAction
from tests.insights.builders import Account
from tests.insights.conftest import sandbox_comment
from tests.waiting import wait_for


def test_it_asks_for_the_comments_permission_again_when_a_hide_is_refused_without_it(
    client: Client, sandbox: Any, sandbox_lab: Account, celery_worker: None
) -> None:
    comment = sandbox_comment(sandbox, sandbox_lab)
    credential = Credential.objects.get(pk=sandbox_lab.profile.credential_id)
    credential.token = sandbox.mint_token("instagram", "ifma.saoluis", scopes=["instagram_business_basic"])[
        "access_token"
    ]
    credential.save()
    client.force_login(sandbox_lab.user)

    client.post(reverse("comment_action", args=[sandbox_lab.profile.pk, comment.pk]), {"kind": "hide"})

    action = wait_for(lambda: CommentAction.objects.exclude(status=ActionStatus.PENDING).first(), what="the hide")
    assert action.status == ActionStatus.FAILED
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.NEEDS_RECONNECT and credential.needs_rerequest
    assert credential.token not in credential.last_error
