"""Comments the collector stores are coded as they are stored, and the Celery task codes every
comment an older classifier version (or none) coded, leaving `updated_at` alone."""

from __future__ import annotations

from typing import Any

import pytest

import classifier
from collector.coding import code_comments, code_range, pending_ranges
from collector.models import Comment
from tests.collector.test_comment_polling import _collected, _poll
from tests.insights.builders import account, populate
from tests.waiting import wait_for


def test_comments_collected_by_backfill_and_polling_are_coded(sandbox: Any, connect: Any, workers: Any) -> None:
    workers(1)
    sandbox.create_account("coded.poll", 3, comments_per_media=2)
    profile = connect("coded.poll")
    newest = _collected(profile)
    text = "Cadê o auxílio?? Atrasou de novo 😡"
    sandbox._call("POST", "comments", json={"media_id": newest.meta_id, "text": text, "age_minutes": 10})

    _poll(profile, 2)

    polled = Comment.objects.get(profile=profile, text=text)
    assert (polled.sentiment, polled.is_complaint, polled.is_question) == ("negative", True, True)
    assert Comment.objects.filter(profile=profile).count() > 1
    assert not Comment.objects.filter(profile=profile).exclude(coded_by=classifier.LABEL).exists()


def test_the_task_codes_every_comment_an_older_version_or_none_coded(celery_worker: None) -> None:
    lab = account("coded.task")
    populate(lab.profile, media=12, comments_per_media=3, days=30)
    comments = Comment.objects.filter(profile=lab.profile)
    ids = list(comments.order_by("pk").values_list("pk", flat=True))
    never, older = ids[::3], ids[1::3]
    comments.filter(pk__in=never).update(coded_by="", sentiment="", is_praise=False, is_question=False)
    comments.filter(pk__in=older).update(coded_by="lexico-ptbr 0.9", sentiment="negative")
    before = dict(comments.values_list("pk", "updated_at"))

    result = code_comments.delay().get(timeout=60)

    assert result["coded"] == len(never) + len(older) and result["classifier"] == classifier.LABEL
    assert result["queued"] == 0  # one range: coded by the task itself
    assert not comments.exclude(coded_by=classifier.LABEL).exists()
    for comment in comments:
        coding = classifier.classify(comment.text)
        assert (comment.sentiment, comment.is_question, comment.is_praise) == (
            coding.sentiment,
            coding.question,
            coding.praise,
        )
    assert dict(comments.values_list("pk", "updated_at")) == before
    assert code_comments.delay().get(timeout=60)["coded"] == 0  # nothing left to code


def test_many_comments_are_coded_by_one_task_per_range_in_parallel(celery_worker: None) -> None:
    lab = account("coded.ranges")
    populate(lab.profile, media=12, comments_per_media=3, days=30)
    comments = Comment.objects.filter(profile=lab.profile)
    comments.update(coded_by="", sentiment="")

    result = code_comments.delay(chunk=10).get(timeout=60)

    assert result["queued"] == -(-comments.count() // 10) > 1 and result["coded"] == 0
    wait_for(lambda: not comments.exclude(coded_by=classifier.LABEL).exists(), 60, "every range coded")
    assert not comments.filter(sentiment="").exists()


@pytest.mark.sqlite  # make run's database takes the ORM's bulk update, PostgreSQL one UPDATE … FROM
def test_a_range_of_comments_is_coded_on_either_database(db: None) -> None:
    lab = account("coded.sqlite")
    populate(lab.profile, media=6, comments_per_media=3, days=20)
    comments = Comment.objects.filter(profile=lab.profile)
    comments.update(coded_by="", sentiment="", is_question=False, is_praise=False)

    ranges = pending_ranges(chunk=7)
    coded = sum(code_range(first, last) for first, last in ranges)

    assert coded == comments.count() and len(ranges) == -(-coded // 7)
    assert not comments.exclude(coded_by=classifier.LABEL).exists()
    assert comments.filter(is_question=True).exists() and comments.filter(is_praise=True).exists()
