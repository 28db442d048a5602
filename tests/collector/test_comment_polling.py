"""Comment polling, the safety net under webhooks: comments that Meta shows but no webhook
delivered are polled in and, made after connecting and older than the webhook grace, get the
profile flagged (and then polled every run), even when other comments arrived by webhook; comments
that webhooks deliver cost the poll no comment call, and neither they nor the history the first
backfill and poll load flag the profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from collector.models import CollectionRun, Comment, CommentSource, Media, Profile, RunKind, RunOutcome
from collector.tasks import backfill_profile, poll_comments, poll_comments_all
from tests.waiting import wait_for
from webhooks.tasks import check_webhooks_arriving


def _done(kind: RunKind, count: int) -> Any:
    return lambda: CollectionRun.objects.filter(kind=kind).exclude(outcome=RunOutcome.RUNNING).count() >= count


def _poll(profile: Profile, count: int) -> CollectionRun:
    poll_comments.delay(profile.pk)
    wait_for(_done(RunKind.COMMENTS, count), 60, f"comment poll {count}")
    run = CollectionRun.objects.filter(kind=RunKind.COMMENTS).order_by("started_at").last()
    assert run.outcome == RunOutcome.OK, run.error
    return run


def _collected(profile: Profile) -> Media:
    """Backfill a connected profile and run its first comment poll; returns its newest feed media."""
    backfill_profile.delay(profile.pk)
    wait_for(_done(RunKind.BACKFILL, 1), 60, "the backfill")
    wait_for(_done(RunKind.STORIES, 1), 60, "the stories")
    _poll(profile, 1)
    return Media.objects.filter(profile=profile).exclude(media_product_type="STORY").order_by("-timestamp").first()


def _send_comment_webhook(sandbox: Any, live_server: Any, profile: Profile, media: Media, text: str) -> None:
    target = live_server.url + reverse("webhooks:meta")
    sandbox.send_webhook(target, "comments", account=profile.username, media_id=media.meta_id, text=text)
    wait_for(lambda: Comment.objects.filter(profile=profile, text=text).exists(), 30, "the webhook's comment")


def test_a_comment_no_webhook_delivered_is_polled_in_and_flags_the_profile_though_others_arrived(
    sandbox, connect, workers, live_server
) -> None:
    workers(1)
    sandbox.create_account("poll.partial", 5, comments_per_media=0)
    profile = connect("poll.partial")
    Profile.objects.filter(pk=profile.pk).update(created_at=timezone.now() - timedelta(hours=1))  # an hour ago
    newest = _collected(profile)
    _send_comment_webhook(sandbox, live_server, profile, newest, "Chegou pelo webhook")
    # Made ten minutes ago on Meta, and its webhook never came.
    sandbox._call("POST", "comments", json={"media_id": newest.meta_id, "text": "Tem vaga?", "age_minutes": 10})
    sandbox.reset_calls()

    run = _poll(profile, 2)

    assert Comment.objects.get(profile=profile, text="Tem vaga?").source == CommentSource.POLL
    assert Comment.objects.get(profile=profile, text="Chegou pelo webhook").source == CommentSource.WEBHOOK
    assert run.graph_calls == sandbox.calls()["total"] == 2  # the counts, then that media's comments
    assert check_webhooks_arriving() == 1
    profile.refresh_from_db()
    assert profile.webhooks_missing
    assert poll_comments_all() == 1  # flagged: polled again at once, though it polled a minute ago


def test_comments_from_before_connecting_that_the_first_backfill_and_poll_load_do_not_flag(connect, workers) -> None:
    workers(1)
    profile = connect("poll.history", media=5)

    _collected(profile)

    history = Comment.objects.filter(profile=profile)
    assert history.count() > 0
    assert set(history.values_list("source", flat=True)) <= {CommentSource.BACKFILL, CommentSource.POLL}
    assert check_webhooks_arriving() == 0
    profile.refresh_from_db()
    assert not profile.webhooks_missing


def test_comments_webhooks_delivered_cost_no_comment_call_and_do_not_flag(
    sandbox, connect, workers, live_server
) -> None:
    workers(1)
    profile = connect("poll.hooked", media=5)
    newest = _collected(profile)
    _send_comment_webhook(sandbox, live_server, profile, newest, "Chegou pelo webhook")
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
