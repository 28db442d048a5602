"""Reply, hide, unhide and delete: stored as pending, sent to Meta by a real worker, shown done."""

from django.urls import reverse

from accounts.models import Credential, CredentialStatus
from collector.models import Comment
from insights.models import ActionStatus, CommentAction
from tests.insights.conftest import page_text, sandbox_comment
from tests.waiting import wait_for


def _finished(action_kind: str):
    def check():
        action = CommentAction.objects.filter(kind=action_kind).order_by("-pk").first()
        return action if action and action.status != ActionStatus.PENDING else None

    return check


def test_a_reply_goes_to_instagram_and_appears_in_the_thread(client, sandbox, sandbox_lab, celery_worker):
    comment = sandbox_comment(sandbox, sandbox_lab)
    client.force_login(sandbox_lab.user)
    url = reverse("comment_action", args=[sandbox_lab.profile.pk, comment.pk])
    client.post(url, {"kind": "reply", "text": "O edital sai na sexta-feira."})
    pending = page_text(client.get(reverse("comments", args=[sandbox_lab.profile.pk])))
    assert 'data-status="pending"' in pending or 'data-status="done"' in pending

    action = wait_for(_finished("reply"), what="the reply")
    assert action.status == ActionStatus.DONE, action.error
    assert "POST graph.instagram.com /{comment-id}/replies" in sandbox.calls()["by_endpoint"]
    reply = Comment.objects.get(meta_id=action.result_meta_id)
    assert reply.parent_id == comment.pk and reply.username == sandbox_lab.profile.username
    text = page_text(client.get(reverse("comments", args=[sandbox_lab.profile.pk])))
    assert "O edital sai na sexta-feira." in text and "Reply sent" in text


def test_hide_unhide_and_delete_reach_instagram(client, sandbox, sandbox_lab, celery_worker):
    comment = sandbox_comment(sandbox, sandbox_lab)
    client.force_login(sandbox_lab.user)
    act = reverse("comment_action", args=[sandbox_lab.profile.pk, comment.pk])

    client.post(act, {"kind": "hide"})
    assert wait_for(_finished("hide"), what="the hide").status == ActionStatus.DONE
    graph = sandbox_lab.profile.credential.graph_client()
    assert graph.get(f"/{comment.meta_id}", {"fields": "hidden"})["hidden"] is True
    comment.refresh_from_db()
    assert comment.hidden

    client.post(act, {"kind": "unhide"})
    assert wait_for(_finished("unhide"), what="the unhide").status == ActionStatus.DONE
    assert graph.get(f"/{comment.meta_id}", {"fields": "hidden"})["hidden"] is False

    confirm = client.get(reverse("comment_delete", args=[sandbox_lab.profile.pk, comment.pk]))
    assert "Delete this comment?" in page_text(confirm)
    client.post(reverse("comment_delete", args=[sandbox_lab.profile.pk, comment.pk]))
    assert wait_for(_finished("delete"), what="the delete").status == ActionStatus.DONE
    comment.refresh_from_db()
    assert comment.is_deleted


def test_a_revoked_token_fails_the_action_and_flags_the_credential(client, sandbox, sandbox_lab, celery_worker):
    comment = sandbox_comment(sandbox, sandbox_lab)
    sandbox.fail(token=sandbox_lab.profile.credential.token, mode="revoked")
    client.force_login(sandbox_lab.user)
    client.post(reverse("comment_action", args=[sandbox_lab.profile.pk, comment.pk]), {"kind": "hide"})
    action = wait_for(_finished("hide"), what="the failed hide")
    assert action.status == ActionStatus.FAILED and action.error
    assert Credential.objects.get(pk=sandbox_lab.profile.credential_id).status == CredentialStatus.NEEDS_RECONNECT
    text = page_text(client.get(reverse("comments", args=[sandbox_lab.profile.pk])))
    assert "Hide failed" in text
    assert "The account&#x27;s connection needs to be renewed" in text and action.error not in text
