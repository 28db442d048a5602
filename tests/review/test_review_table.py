"""/review/ lists every default scope with its screen, its screencast and its test, and the data-handling
and reviewer-instruction pages it links to answer from this deployment's settings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import resolve, reverse

from accounts.models import Organization
from insights import review
from tests.conftest import ROOT
from tests.insights.builders import account

pytestmark = pytest.mark.django_db


def default_scopes() -> list[str]:
    return [*settings.META_INSTAGRAM_SCOPES, *settings.META_FACEBOOK_SCOPES]


def test_it_gives_every_default_scope_a_screen_a_video_and_a_test(client: Any) -> None:
    page = client.get(reverse("review_kit")).content.decode()
    for permission in review.permissions():
        assert permission.use is not None, f"{permission.scope} has no screen, video nor test"
        resolve(permission.use.screen.replace("<id>", "1").replace("<conversation>", "1"))
        assert (ROOT / permission.use.test).is_file(), permission.use.test
        row = re.search(rf'<tr data-scope="{permission.scope}">(.*?)</tr>', page, re.S)
        assert row, f"{permission.scope} is missing from the table"
        assert permission.use.screen.replace("<", "&lt;").replace(">", "&gt;") in row[1]
        assert f"docs/review-videos/{permission.scope}.webm" in row[1] and permission.use.test in row[1]
    assert {p.scope for p in review.permissions()} >= set(default_scopes())


def test_a_default_scope_no_screen_uses_is_flagged_in_the_table(client: Any, settings: Any) -> None:
    settings.META_FACEBOOK_SCOPES = [*settings.META_FACEBOOK_SCOPES, "business_management"]
    page = client.get(reverse("review_kit")).content.decode()
    row = re.search(r'<tr data-scope="business_management">(.*?)</tr>', page, re.S)
    assert row and "Not explained yet" in row[1]
    dropped = re.search(r'<ul id="dropped-scopes">(.*?)</ul>', page, re.S)
    assert dropped and "business_management" not in dropped[1], "an asked-for scope is no longer listed as dropped"


def test_it_says_why_a_permission_was_dropped_from_the_defaults(client: Any) -> None:
    assert "business_management" not in default_scopes()
    assert "instagram_business_content_publish" not in default_scopes(), "Instagram Login accounts get no stories"
    page = client.get(reverse("review_kit")).content.decode()
    dropped = re.search(r'<ul id="dropped-scopes">(.*?)</ul>', page, re.S)
    assert dropped and "business_management" in dropped[1] and "pages_show_list" in dropped[1]
    assert "instagram_business_content_publish" in dropped[1] and "pages_manage_posts" in dropped[1]
    assert reverse("review_data_handling") in page and reverse("review_instructions") in page


def test_the_data_handling_page_answers_from_the_settings(client: Any, settings: Any) -> None:
    settings.HOSTING_PROVIDER = "Render (render.com)"
    second_key = Fernet.generate_key().decode()
    settings.TOKEN_ENCRYPTION_KEYS = [*settings.TOKEN_ENCRYPTION_KEYS, second_key]
    lab = account("ifma.saoluis")
    Organization.objects.filter(pk=lab.organization.pk).update(message_retention_days=90)
    client.force_login(lab.user)
    page = client.get(reverse("review_data_handling")).content.decode()
    engine = "PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
    assert engine in page.split('id="database-engine"')[1].split("</dd>")[0]
    assert "with 2 keys configured" in page and second_key not in page
    assert "Render (render.com)" in page.split('id="hosting"')[1].split("</dd>")[0]
    retention = page.split('id="retention"')[1].split("</table>")[0]
    assert lab.organization.name in retention and "90 days" in retention and "730 days" in retention
    assert "4:20 UTC" in page, "the retention task's beat schedule"
    deletion = page.split('id="deletion-paths"')[1].split("</ul>")[0]
    assert "Disconnect" in deletion and reverse("accounts:meta_data_deletion") in deletion


def test_the_data_handling_page_never_shows_the_database_password(client: Any, settings: Any) -> None:
    settings.REDIS_URL = "redis://:s3cret-broker-password@redis.internal:6380/0"
    page = client.get(reverse("review_data_handling")).content.decode()
    assert "s3cret" not in page and "redis.internal:6380" in page
    password = settings.DATABASES["default"].get("PASSWORD")
    assert not password or password not in page


def test_the_reviewer_instructions_name_the_test_account_and_the_clicks(client: Any, settings: Any) -> None:
    settings.REVIEW_TEST_ACCOUNT = "open_review_user_1234@tfbnw.net"
    page = client.get(reverse("review_instructions")).content.decode()
    assert "open_review_user_1234@tfbnw.net" in page.split('id="test-account"')[1].split("</p>")[0]
    assert "Continue with Facebook" in page and "Disconnect" in page
    assert all(f"<code>{scope}</code>" in page for scope in default_scopes())


def test_review_mode_shows_the_caption_bar_naming_the_permission(client: Any) -> None:
    assert 'id="review-caption"' not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("review_record", args=["not_a_scope"])).status_code == 404
    client.get(reverse("review_record", args=["instagram_business_manage_comments"]))
    page = client.get(reverse("metrics_help")).content.decode()
    bar = page.split('id="review-caption"')[1].split("</div>")[0]
    assert 'data-scope="instagram_business_manage_comments"' in bar and "js/review-caption.js" in page
    docs = client.get(reverse("api-docs")).content.decode()
    assert 'data-scope="instagram_business_manage_comments"' in docs.split('id="review-caption"')[1]
    assert "js/review-caption.js" in docs and "css/review-caption.css" in docs, "the API docs show the bar too"
