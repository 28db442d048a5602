"""The webhook events admin: find deliveries by status, field and profile, read them raw, replay them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from collector.models import Comment, Profile
from webhooks.models import EventStatus, WebhookEvent

from .conftest import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client: Client, django_user_model: Any) -> Client:
    client.force_login(django_user_model.objects.create_superuser("admin", password="x-long-password-9"))
    return client


def test_it_filters_deliveries_by_status_field_and_profile(
    client: Client, admin_client_logged: Client, profile: Profile
) -> None:
    deliver(client, "comments_instagram_login_flat", "unknown_field", "story_insights")
    listing = "/admin/webhooks/webhookevent/"
    unhandled = admin_client_logged.get(listing, {"status": "unhandled"})
    assert unhandled.context["cl"].result_count == 1
    by_field = admin_client_logged.get(listing, {"field": "story_insights"})
    assert [e.field_list for e in by_field.context["cl"].result_list] == [["story_insights"]]
    by_profile = admin_client_logged.get(listing, {"profile__id__exact": profile.pk})
    assert by_profile.context["cl"].result_count == 3


def test_it_shows_the_raw_body_and_the_report(client: Client, admin_client_logged: Client, profile: Profile) -> None:
    deliver(client, "unknown_field")
    event = WebhookEvent.objects.get()
    page = admin_client_logged.get(f"/admin/webhooks/webhookevent/{event.pk}/change/").content.decode()
    assert "story_reshares" in page and "18070000000000001" in page
    assert "unhandled" in page


def test_replay_processes_a_delivery_again(client: Client, admin_client_logged: Client, profile: Profile) -> None:
    deliver(client, "comments_instagram_login_flat")
    Comment.objects.all().delete()  # as if a bug had lost what the first run wrote
    event = WebhookEvent.objects.get()
    response = admin_client_logged.post(
        "/admin/webhooks/webhookevent/", {"action": "replay", "_selected_action": [event.pk]}, follow=True
    )
    assert "1 delivery queued again." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.RECEIVED
    from webhooks.tasks import process_event

    assert process_event(event.pk) == EventStatus.PROCESSED
    assert Comment.objects.get().meta_id == "17867301270523379"
