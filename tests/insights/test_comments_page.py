"""The comments page: threads, filters, roles, and a query count that ignores the data's size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from collector.models import Comment
from insights.models import CommentAction
from insights.moderation import CommentFilter, threads
from tests.insights.builders import account, populate
from tests.insights.conftest import page_text

pytestmark = pytest.mark.sqlite  # make run's default database shows this page too


def test_each_comment_shows_the_state_of_its_newest_action(signed_in, lab):
    comment = Comment.objects.filter(profile=lab.profile, parent=None).first()
    earlier = timezone.now() - timedelta(minutes=5)
    CommentAction.objects.create(comment=comment, kind="hide", status="failed", error="x", created_at=earlier)
    newest = CommentAction.objects.create(comment=comment, kind="unhide", status="done")
    other = Comment.objects.filter(profile=lab.profile, parent=None).exclude(pk=comment.pk).first()
    CommentAction.objects.create(comment=other, kind="reply", text="Oi", status="pending")

    response = signed_in.get(reverse("comments", args=[lab.profile.pk]) + f"?media={comment.media_id}")

    assert response.status_code == 200
    latest = CommentAction.objects.latest_per_comment([comment.pk, other.pk])
    assert latest[comment.pk] == newest and latest[other.pk].kind == "reply"


def test_threads_show_comments_with_the_accounts_replies(signed_in, lab):
    text = page_text(signed_in.get(reverse("comments", args=[lab.profile.pk])))
    assert "Obrigado! Veja o link na bio." in text
    assert "Answered" in text and "Unanswered" in text


def test_the_unanswered_filter_leaves_out_answered_comments(signed_in, lab):
    response = signed_in.get(reverse("comments", args=[lab.profile.pk]) + "?status=unanswered")
    shown = response.context["threads"].comments
    assert shown and not any(comment.answered for comment in shown)
    assert all(comment.username != lab.profile.username for comment in shown)


def test_the_hidden_filter_shows_only_hidden_comments(signed_in, lab):
    response = signed_in.get(reverse("comments", args=[lab.profile.pk]) + "?status=hidden")
    shown = response.context["threads"].comments
    assert shown and all(comment.hidden for comment in shown)


def test_text_and_post_filters_narrow_the_threads(signed_in, lab):
    target = Comment.objects.filter(profile=lab.profile, parent=None).first()
    url = reverse("comments", args=[lab.profile.pk]) + f"?q=aluno&media={target.media_id}"
    shown = signed_in.get(url).context["threads"].comments
    assert shown and all(comment.media_id == target.media_id for comment in shown)


def test_a_viewer_reads_comments_but_cannot_moderate(client, lab):
    viewer = account("viewer.only", role=Role.VIEWER)
    viewer.profile.delete()
    lab.organization.memberships.create(user=viewer.user, role=Role.VIEWER)
    client.force_login(viewer.user)
    text = page_text(client.get(reverse("comments", args=[lab.profile.pk])))
    assert "your role (viewer) cannot reply" in text and 'name="kind" value="hide"' not in text
    comment = Comment.objects.filter(profile=lab.profile).first()
    response = client.post(reverse("comment_action", args=[lab.profile.pk, comment.pk]), {"kind": "hide"})
    assert response.status_code == 404
    assert not CommentAction.objects.exists()


def test_the_comments_page_query_count_does_not_grow_with_the_data(client, db, django_assert_max_num_queries):
    small, large = account("small.campus"), account("large.campus")
    populate(small.profile, media=20, comments_per_media=3, days=60)
    populate(large.profile, media=600, comments_per_media=40, days=60, seed=5)
    counts = []
    for lab in (small, large):
        client.force_login(lab.user)
        for query in ("", "?status=unanswered"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("comments", args=[lab.profile.pk]) + query).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
    with django_assert_max_num_queries(15):
        client.get(reverse("comments", args=[large.profile.pk]) + "?status=unanswered")


def test_a_reply_sent_while_the_page_is_read_never_shows_as_sent_without_the_reply(lab):
    comment = threads(lab.profile, CommentFilter.from_query({})).comments[0]
    action = CommentAction.objects.create(comment=comment, kind="reply", text="Sim, às 14h.", status="pending")
    reads = 0

    def the_worker_commits_before_the_last_read(execute, sql, params, many, context):
        nonlocal reads
        reads += 1
        if reads == 3:  # what the worker's one transaction writes: the reply and its action, done
            Comment.objects.create(
                profile=lab.profile, media=comment.media, parent=comment, meta_id="17999000000000001",
                username=lab.profile.username, text=action.text, timestamp=timezone.now(),
            )  # fmt: skip
            CommentAction.objects.filter(pk=action.pk).update(status="done")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(the_worker_commits_before_the_last_read):
        shown = threads(lab.profile, CommentFilter.from_query({}))
    [thread] = [c for c in shown.comments if c.pk == comment.pk]

    sent = shown.actions[comment.pk].status == "done"
    assert not sent or any(reply.text == action.text for reply in thread.replies.all()), "sent, but no reply"
