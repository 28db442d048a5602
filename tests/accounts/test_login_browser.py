"""The two logins as a person clicks through them: landing → Meta's consent → connected accounts."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Credential, CredentialStatus
from collector.models import Profile

pytestmark = pytest.mark.browser


def start_login(page: Any, live_server: Any, button: str, screenshot: Any) -> None:
    page.goto(live_server.url + reverse("home"))
    screenshot("landing")
    page.click(button)
    page.wait_for_selector("#allow")
    screenshot("consent")


def test_instagram_login_connects_the_account_with_its_permissions(
    transactional_db: None, sandbox: Any, live_server: Any, page: Any, screenshot: Any
) -> None:
    start_login(page, live_server, "#continue-instagram", screenshot)
    page.check("input[name=account][value='17841400000000002']")  # ifma.imperatriz
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    page.goto(live_server.url + reverse("accounts:connected"))
    screenshot("connected")

    row = page.locator("tr.connected-asset", has_text="@ifma.imperatriz")
    assert row.locator(".badge-ok").inner_text() == "Active"
    assert "via Instagram Login" in row.inner_text()
    row.locator("summary").click()
    assert "instagram_business_manage_comments" in row.inner_text()
    assert page.locator("tr.connected-asset").count() == 1


def test_facebook_login_connects_the_page_and_its_instagram_account(
    transactional_db: None, sandbox: Any, live_server: Any, page: Any, screenshot: Any
) -> None:
    start_login(page, live_server, "#continue-facebook", screenshot)
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    page.goto(live_server.url + reverse("accounts:connected"))
    screenshot("connected")

    page_row = page.locator("tr.connected-asset[data-meta-id='20000000000000001']")
    instagram_row = page.locator("tr.connected-asset[data-meta-id='17841400000000001']")
    assert "IFMA Campus São Luís - Monte Castelo" in page_row.inner_text()
    assert "@ifma.saoluis" in instagram_row.inner_text()
    assert page_row.locator(".badge-ok").inner_text() == "Active"
    assert instagram_row.locator(".badge-ok").inner_text() == "Active"
    assert "via Facebook Page" in instagram_row.inner_text()
    assert "granted" in page_row.locator("summary").inner_text()


def test_cancelling_the_consent_returns_to_the_landing_page_with_a_message(
    transactional_db: None, sandbox: Any, live_server: Any, page: Any, screenshot: Any
) -> None:
    start_login(page, live_server, "#continue-instagram", screenshot)
    page.click("#cancel")
    page.wait_for_selector(".message")
    screenshot("cancelled")

    assert page.url.split("#")[0].rstrip("/") == live_server.url  # Meta's "#_" fragment sticks
    assert "You cancelled the Instagram login. Nothing was connected." in page.locator(".messages").inner_text()
    assert page.locator("#continue-instagram").is_visible()
    assert not Profile.objects.exists()


def test_disconnecting_removes_the_account_and_revokes_the_grant_at_meta(
    transactional_db: None, sandbox: Any, celery_worker: None, live_server: Any, page: Any, screenshot: Any
) -> None:
    start_login(page, live_server, "#continue-instagram", screenshot)
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    page.goto(live_server.url + reverse("accounts:connected"))
    page.locator("tr.connected-asset", has_text="@ifma.saoluis").get_by_role("link", name="Disconnect").click()
    screenshot("confirm")
    page.check("input[value=delete]")
    page.click("#confirm-disconnect")
    page.wait_for_selector(".message-success")
    screenshot("disconnected")

    assert page.locator("tr.connected-asset").count() == 0
    assert not Profile.objects.exists()
    deadline = time.monotonic() + 30
    while not all(grant["revoked"] for grant in sandbox.grants() if grant["login"] == "instagram"):
        assert time.monotonic() < deadline, "the grant was not revoked at the sandbox"
        time.sleep(0.2)
    assert [grant["revoked"] for grant in sandbox.grants() if grant["login"] == "instagram"] == [True]


def test_the_reconnect_banner_takes_the_person_through_meta_and_the_account_is_active_again(
    transactional_db: None, sandbox: Any, live_server: Any, page: Any, screenshot: Any
) -> None:
    start_login(page, live_server, "#continue-instagram", screenshot)
    page.click("#allow")
    page.wait_for_url("**/dashboard/**")
    credential = Credential.objects.get()
    credential.mark_needs_reconnect("Error validating access token: Session has expired (code 190/463)")

    page.goto(live_server.url + reverse("accounts:connected"))
    banner = page.locator(".banner-error")
    assert "Collection for it has stopped until you reconnect" in banner.inner_text()
    screenshot("banner")
    banner.get_by_role("button", name="Reconnect").click()
    page.click("#allow")
    page.wait_for_url("**/accounts/connected/**")
    screenshot("reconnected")

    assert page.locator(".banner-error").count() == 0
    assert Credential.objects.get().status == CredentialStatus.ACTIVE
    assert page.locator("tr.connected-asset .badge-ok").inner_text() == "Active"
