"""Comment polling, the safety net under webhooks: comments that Meta shows but no webhook
delivered are polled in and get the profile flagged (and then polled every run); comments
that webhooks deliver cost the poll no comment call and leave the profile unflagged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from collector.models import CollectionRun, Comment, CommentSource, Media, Profile, RunKind, RunOutcome
from collector.tasks import backfill_profile, poll_comments, poll_comments_all
from tests.collector.conftest import wait_for
from webhooks.tasks import check_webhooks_arriving


def _done(kind: RunKind, count: int) -> Any:
    return lambda: CollectionRun.objects.filter(kind=kind).exclude(outcome=RunOutcome.RUNNING).count() >= count


def _poll(profile: Profile, count: int) -> CollectionRun:
    poll_comments.delay(profile.pk)
    wait_for(_done(RunKind.COMMENTS, count), 60, f"comment poll {count}")
    run = CollectionRun.objects.filter(kind=RunKind.COMMENTS).order_by("started_at").last()
    assert run.outcome == RunOutcome.OK, run.error
    return run


def _collected(connect: Any, workers: Any, username: str) -> tuple[Profile, Media]:
    """A backfilled profile whose existing comments a first poll loaded, and the check's baseline."""
    workers(1)
    profile = connect(username, media=5)
    backfill_profile.delay(profile.pk)
    wait_for(_done(RunKind.BACKFILL, 1), 60, "the backfill")
    wait_for(_done(RunKind.STORIES, 1), 60, "the stories")
    first = _poll(profile, 1)
    feed = Media.objects.filter(profile=profile).exclude(media_product_type="STORY")
    assert first.items_upserted == Comment.objects.filter(profile=profile).count() > 0
    assert set(Comment.objects.filter(profile=profile).values_list("source", flat=True)) == {CommentSource.POLL}
    cache.delete(f"webhooks:comment-total:{profile.pk}")
    check_webhooks_arriving()  # the check's first look only records the baseline
    return profile, feed.order_by("-timestamp").first()


def test_comments_no_webhook_delivered_are_polled_in_and_flag_the_profile(sandbox, connect, workers) -> None:
    profile, newest = _collected(connect, workers, "poll.silent")
    for text in ("Qual o horário?", "Tem vaga?"):
        sandbox._call("POST", "comments", json={"media_id": newest.meta_id, "text": text, "username": "aluna"})
    sandbox.reset_calls()

    run = _poll(profile, 2)

    polled = Comment.objects.filter(profile=profile, media=newest, text__in=["Qual o horário?", "Tem vaga?"])
    assert set(polled.values_list("source", flat=True)) == {CommentSource.POLL} and polled.count() == 2
    assert run.graph_calls == sandbox.calls()["total"] == 2  # the counts, then that media's comments
    assert check_webhooks_arriving() == 1
    profile.refresh_from_db()
    assert profile.webhooks_missing
    assert poll_comments_all() == 1  # flagged: polled again at once, though it polled a minute ago


def test_comments_webhooks_delivered_cost_no_comment_call_and_do_not_flag(
    sandbox, connect, workers, live_server
) -> None:
    profile, newest = _collected(connect, workers, "poll.hooked")
    sandbox.send_webhook(
        live_server.url + reverse("webhooks:meta"),
        "comments",
        account=profile.username,
        media_id=newest.meta_id,
        text="Chegou pelo webhook",
    )
    wait_for(lambda: Comment.objects.filter(profile=profile, source=CommentSource.WEBHOOK).exists(), 30, "webhook")
    sandbox.reset_calls()

    run = _poll(profile, 2)

    assert run.graph_calls == sandbox.calls()["total"] == 1  # the counts only: nothing is missing
    assert Comment.objects.get(text="Chegou pelo webhook").source == CommentSource.WEBHOOK
    assert check_webhooks_arriving() == 0
    profile.refresh_from_db()
    assert not profile.webhooks_missing
    assert poll_comments_all() == 0  # not flagged and polled within the hour


def test_every_instagram_profile_is_polled_hourly_even_when_its_webhooks_arrive(connect, clean_redis) -> None:
    profile = connect("poll.hourly", media=1)
    assert poll_comments_all() == 1  # never polled

    run = CollectionRun.objects.create(profile=profile, kind=RunKind.COMMENTS, outcome=RunOutcome.OK)
    assert poll_comments_all() == 0  # polled within the hour

    CollectionRun.objects.filter(pk=run.pk).update(started_at=run.started_at - timedelta(minutes=61))
    assert poll_comments_all() == 1
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # drop the queued polls: no worker here
