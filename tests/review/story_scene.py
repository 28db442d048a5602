"""The publishing permissions' screencast: stories reach the account from a store's system through the
Story API, so the video shows that path end to end in the app: the API access page where the lab registers
the store's system, the API's reference, a story the store sends (this test, acting as the store), and the
callback that tells the store it is published, in the page's list of callbacks."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Membership
from collector.models import Profile
from publishing.models import ApiClient, AssetType, Story, StoryStatus
from tests.publishing.conftest import JPEG_B64, CallbackReceiver, RegisteredClient, headers_for, stories_url
from tests.review.reels import Reel
from tests.review.test_review_walkthrough import wait_for


def register_store(reel: Reel, name: str, callback_url: str) -> RegisteredClient:
    reel.page.fill("#id_name", name)
    reel.page.fill("#id_callback_url", callback_url)
    reel.page.locator("#new-client").scroll_into_view_if_needed()
    reel.caption("The lab registers the store's system as an API client, with its callback URL")
    reel.page.click("#new-client button[type=submit]")
    secret = reel.page.locator("#new-secret [data-secret]").inner_text()
    reel.caption("Its credentials, shown once, go to the store's developers")
    client_id = reel.page.locator("#new-secret code").first.inner_text()
    return RegisteredClient(ApiClient.objects.get(client_id=client_id), secret)


def send_story(store: RegisteredClient, target: Profile, channel: str) -> int:
    """What the store's system does: POST a photo story for the Page (or its Instagram account)."""
    organization = target.organization
    person = Membership.objects.filter(organization=organization).order_by("pk").first()
    assert person is not None, "the signed-in person's organisation"
    api = APIClient()
    api.credentials(**headers_for(person.user, store))
    page_id = target.meta_id if channel == "facebook" else target.page_id
    body = {"asset_type": AssetType.IMAGE, "page_id": page_id, "asset_base64": JPEG_B64}
    response = api.post(stories_url(organization.pk, channel=channel), body, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def story_scene(reel: Reel, target: Profile, channel: str) -> None:
    where = "Instagram account" if channel == "instagram" else "Facebook Page"
    reel.visit(reverse("publishing:api-access-home"), "Stories come from the lab's stores, through our Story API")
    reel.page.locator("#targets").scroll_into_view_if_needed()
    reel.caption(f"The connected {where} a store publishes to, and its endpoint")
    receiver = CallbackReceiver([])
    try:
        store = register_store(reel, f"Loja Centro ({where})", receiver.url)
        reel.visit(reverse("api-docs"), "The Story API's reference, which the store's developers follow", in_query=True)
        open_operation(reel, f"/social-media/{channel}/story/{{dealer_id}}")
        reel.caption(f"The store's system sends a story to this endpoint for the {where}")
        story_id = send_story(store, target, channel)
        published = Story.objects.filter(pk=story_id, status=StoryStatus.PUBLISHED)
        wait_for(published.exists, timeout=60, what="the published story")
        receiver.wait_for(1, timeout=30)
        reel.page.goto(reel.base + reverse("publishing:api-access-home"))
        reel.page.locator("#attempts").evaluate("table => table.scrollIntoView({block: 'center'})")
        reel.caption(f"Published on the {where}: the callback told the store's system so")
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def open_operation(reel: Reel, path: str) -> None:
    """Unfold the POST of `path` in Swagger UI (which breaks its paths with zero-width spaces)."""
    reel.page.wait_for_selector(".opblock-post .opblock-summary-path", timeout=30_000)
    paths = reel.page.locator(".opblock-post .opblock-summary-path")
    texts = [text.replace("\u200b", "") for text in paths.all_inner_texts()]
    summary = paths.nth(texts.index(path))
    summary.click()
    opened = reel.page.locator(".opblock-post.is-open").first
    opened.locator(".opblock-body").wait_for()
    opened.evaluate("block => block.scrollIntoView({block: 'start'})")
