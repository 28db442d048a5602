"""Deliveries are processed in runs (one broker message, one transaction); a bad one in a run
fails alone and the others are processed."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from collector.models import Comment, Profile
from webhooks.models import EventStatus, WebhookEvent
from webhooks.tasks import process_events

from .conftest import payload, post_signed

pytestmark = pytest.mark.django_db


def comment_body(comment_id: str, text: str) -> bytes:
    body = payload("comments_instagram_login_flat")
    body["entry"][0]["value"].update(id=comment_id, text=text)
    return json.dumps(body).encode()


def test_a_run_of_deliveries_makes_one_comment_each(client: Client, profile: Profile) -> None:
    for n in range(5):
        assert post_signed(client, comment_body(f"1790000000000000{n}", f"comentário {n}")).status_code == 200
    ids = list(WebhookEvent.objects.order_by("pk").values_list("pk", flat=True))

    assert process_events(ids) == 5
    assert process_events(ids) == 0  # a repeated message finds nothing left to do

    assert Comment.objects.filter(profile=profile).count() == 5
    assert set(WebhookEvent.objects.values_list("status", "attempts", "profile")) == {
        (EventStatus.PROCESSED, 1, profile.pk)
    }


def test_a_failing_delivery_does_not_hold_back_the_others_in_its_run(client: Client, profile: Profile) -> None:
    # An author id longer than its column: the comment's INSERT fails while processing.
    failing = payload("comments_instagram_login_flat")
    failing["entry"][0]["value"].update(id="17900000000000002", text="longo", **{"from": {"id": "9" * 65}})
    bodies = [comment_body("17900000000000001", "bom"), json.dumps(failing).encode()]
    bodies.append(comment_body("17900000000000003", "também bom"))
    for body in bodies:
        assert post_signed(client, body).status_code == 200
    ids = list(WebhookEvent.objects.order_by("pk").values_list("pk", flat=True))

    assert process_events(ids) == 2

    assert sorted(Comment.objects.values_list("meta_id", flat=True)) == ["17900000000000001", "17900000000000003"]
    statuses = dict(WebhookEvent.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == [EventStatus.PROCESSED, EventStatus.FAILED, EventStatus.PROCESSED]
    assert "DataError" in WebhookEvent.objects.get(pk=ids[1]).error
