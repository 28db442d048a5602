"""A comment delivered by webhook is coded (sentiment, flags, classifier version) as it is stored,
and coded again when the person edits it."""

from __future__ import annotations

import json
import time

from django.test import Client

import classifier
from collector.models import Comment, Profile

from .conftest import deliver, fixture_body, post_signed, process_stored


def test_a_comment_delivered_by_webhook_is_coded_as_it_is_stored(client: Client, profile: Profile) -> None:
    deliver(client, "comments_instagram_login_changes")
    comment = Comment.objects.get(meta_id="17867301270523380")
    assert comment.text == "Que lindo o campus!"
    assert (comment.sentiment, comment.is_praise, comment.is_question) == ("positive", True, False)
    assert comment.coded_by == classifier.LABEL


def test_an_edited_page_comment_is_coded_again(client: Client, page_profile: Profile) -> None:
    deliver(client, "feed_comment_add")
    payload = json.loads(fixture_body("feed_comment_edited"))
    payload["entry"][0]["changes"][0]["value"]["message"] = "Cadê o resultado? O link do edital não abre"
    assert post_signed(client, json.dumps(payload).encode()).status_code == 200
    process_stored()
    comment = Comment.objects.get(profile=page_profile, meta_id="700000000000001_800000000000001")
    assert (comment.sentiment, comment.is_complaint, comment.is_question, comment.is_praise) == (
        "negative",
        True,
        True,
        False,
    )


def test_coding_adds_well_under_5_ms_to_each_comment() -> None:
    """The budget of issue #15: the classifier's own time per comment, over the labelled sample's texts
    (docs/classifier.md has the figures of the webhook handler with and without it)."""
    from classifier.evaluation import load
    from tests.classifier.test_evaluation import TUNING

    texts = [example.text for example in load(TUNING)]
    started = time.perf_counter()
    for text in texts:
        classifier.classify(text)
    per_comment_ms = (time.perf_counter() - started) * 1000 / len(texts)
    assert per_comment_ms < 1.0, per_comment_ms  # a fifth of the budget, on a busy 2-CPU machine


def test_the_live_comments_feed_carries_the_codes(client: Client, profile: Profile, member: object) -> None:
    from django.urls import reverse

    deliver(client, "comments_instagram_login_changes")
    client.force_login(member)
    rows = client.get(reverse("webhooks:live_comments", args=[profile.pk]), HTTP_ACCEPT_LANGUAGE="pt-br").json()
    coded = next(row for row in rows["comments"] if row["meta_id"] == "17867301270523380")
    assert (coded["sentiment"], coded["sentiment_label"], coded["codes"]) == ("positive", "Positivo", "Elogio")
