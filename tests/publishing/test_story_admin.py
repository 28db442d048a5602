"""The admin: stories filtered by dealer, status and date, a retry action, and API clients."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Organization
from publishing.models import ApiClient, Story, StoryStatus
from tests.publishing.conftest import Dealer


def admin_client() -> Client:
    User.objects.create_superuser("admin", password="admin-pass-123")
    client = Client()
    client.login(username="admin", password="admin-pass-123")
    return client


def test_stories_filter_by_dealer_status_and_date(dealer: Dealer) -> None:
    other = Organization.objects.create(name="Outra Loja")
    Story.objects.create(organization=dealer.organization, asset_type=1, page_id="123456789", status=StoryStatus.ERROR)
    Story.objects.create(
        organization=other, asset_type=1, page_id="9", created_at=datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    )
    client = admin_client()

    by_dealer = client.get("/admin/publishing/story/", {"organization__id__exact": dealer.organization.pk})
    by_status = client.get("/admin/publishing/story/", {"status__exact": StoryStatus.ERROR})
    by_date = client.get("/admin/publishing/story/", {"created_at__year": 2024})

    assert by_dealer.context["cl"].result_count == 1
    assert by_status.context["cl"].result_count == 1
    assert [story.organization for story in by_date.context["cl"].result_list] == [other]


def test_retry_publish_requeues_failed_stories_but_not_published_ones(dealer: Dealer) -> None:
    failed = Story.objects.create(
        organization=dealer.organization,
        asset_type=1,
        page_id="123456789",
        status=StoryStatus.ERROR,
        facebook_publish_status=StoryStatus.ERROR,
        error="Meta: boom",
        asset_id="30123",
    )
    published = Story.objects.create(
        organization=dealer.organization, asset_type=1, page_id="123456789", status=StoryStatus.PUBLISHED
    )

    response = admin_client().post(
        "/admin/publishing/story/",
        {"action": "retry_publish", "_selected_action": [failed.pk, published.pk]},
        follow=True,
    )

    assert "1 story queued for publishing." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == StoryStatus.QUEUED and failed.facebook_publish_status == StoryStatus.QUEUED
    assert failed.error is None and failed.asset_id == ""
    published.refresh_from_db()
    assert published.status == StoryStatus.PUBLISHED


def test_a_new_api_client_shows_its_secret_once_and_stores_only_a_hash(db: None) -> None:
    client = admin_client()

    response = client.post("/admin/publishing/apiclient/add/", {"name": "Integrador", "is_active": "on"}, follow=True)

    api_client = ApiClient.objects.get(name="Integrador")
    page = response.content.decode()
    shown = page.split("secret: ", 1)[1].split(" ", 1)[0]
    assert api_client.client_id in page and api_client.check_secret(shown)
    assert shown not in api_client.secret_hash
    assert shown not in client.get(f"/admin/publishing/apiclient/{api_client.pk}/change/").content.decode()
