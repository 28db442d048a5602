"""Assets sent as base64 are judged by their bytes, limited like Meta's stories, and stored."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from publishing.models import Story
from tests.publishing.conftest import JPEG, JPEG_B64, MP4_B64, PNG, Dealer, stories_url


def post(api: APIClient, dealer: Dealer, asset_type: int, asset_base64: str, channel: str = "facebook") -> object:
    return api.post(
        stories_url(dealer.organization.pk, channel=channel),
        {"asset_type": asset_type, "page_id": dealer.page_id, "asset_base64": asset_base64},
        format="json",
    )


@pytest.mark.parametrize(
    "asset_base64",
    [
        JPEG_B64,
        f"data:image/jpeg;base64,{JPEG_B64}",
        "\n".join(JPEG_B64[i : i + 76] for i in range(0, len(JPEG_B64), 76)),  # MIME line wraps
    ],
    ids=["plain", "data-url", "wrapped"],
)
def test_an_image_is_accepted_with_or_without_its_data_prefix(
    dealer: Dealer, api: APIClient, asset_base64: str
) -> None:
    response = post(api, dealer, 1, asset_base64)

    assert response.status_code == 201
    story = Story.objects.get(pk=response.json()["id"])
    assert story.asset.name.startswith("facebook_story/") and story.asset.name.endswith(".jpg")
    assert (Path(settings.MEDIA_ROOT) / story.asset.name).read_bytes() == JPEG
    assert response.json()["asset"] == f"http://testserver/media/{story.asset.name}"


def test_a_png_is_stored_as_png_whatever_the_prefix_claims(dealer: Dealer, api: APIClient) -> None:
    response = post(api, dealer, 1, "data:image/jpeg;base64," + base64.b64encode(PNG).decode())

    assert response.status_code == 201
    assert response.json()["asset"].endswith(".png")


@pytest.mark.parametrize(
    ("asset_type", "content", "message"),
    [
        (1, MP4_B64, "O arquivo não é uma imagem JPEG ou PNG."),
        (2, JPEG_B64, "O arquivo não é um vídeo MP4."),
        (1, base64.b64encode(b"GIF89a not allowed").decode(), "O arquivo não é uma imagem JPEG ou PNG."),
    ],
    ids=["video-sent-as-image", "image-sent-as-video", "gif"],
)
def test_content_that_is_not_what_asset_type_says_is_rejected(
    dealer: Dealer, api: APIClient, asset_type: int, content: str, message: str
) -> None:
    response = post(api, dealer, asset_type, content)

    assert response.status_code == 400
    assert response.json() == {"asset_base64": [message]}
    assert not Story.objects.exists()


def test_an_image_over_metas_10_mb_photo_limit_is_rejected(dealer: Dealer, api: APIClient) -> None:
    too_big = JPEG + b"\x00" * (10 * 1024 * 1024)

    response = post(api, dealer, 1, base64.b64encode(too_big).decode())

    assert response.status_code == 400
    assert response.json() == {"asset_base64": ["O arquivo é maior que 10 MB."]}


def test_instagram_stories_take_jpeg_images_only(dealer: Dealer, api: APIClient) -> None:
    png = post(api, dealer, 1, base64.b64encode(PNG).decode(), channel="instagram")
    jpeg = post(api, dealer, 1, JPEG_B64, channel="instagram")

    assert png.status_code == 400 and png.json() == {"asset_base64": ["O arquivo não é uma imagem JPEG."]}
    assert jpeg.status_code == 201
    assert jpeg.json()["asset"].startswith("http://testserver/media/instagram_story/")


def test_a_new_asset_replaces_the_stored_file(dealer: Dealer, api: APIClient) -> None:
    created = post(api, dealer, 1, JPEG_B64).json()
    old = Story.objects.get(pk=created["id"]).asset.name

    response = api.patch(
        stories_url(dealer.organization.pk, created["id"]), {"asset_type": 2, "asset_base64": MP4_B64}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["asset"].endswith(".mp4") and response.json()["asset_type_display"] == "Vídeo"
    assert Story.objects.get(pk=created["id"]).asset.name != old


def test_changing_asset_type_without_a_matching_file_is_rejected(dealer: Dealer, api: APIClient) -> None:
    created = post(api, dealer, 1, JPEG_B64).json()

    response = api.patch(stories_url(dealer.organization.pk, created["id"]), {"asset_type": 2}, format="json")

    assert response.status_code == 400
    assert response.json() == {"asset_type": ["O arquivo não é um vídeo MP4."]}


def test_deleting_a_story_removes_it(dealer: Dealer, api: APIClient) -> None:
    created = post(api, dealer, 1, JPEG_B64).json()

    response = api.delete(stories_url(dealer.organization.pk, created["id"]))

    assert response.status_code == 204
    assert api.get(stories_url(dealer.organization.pk, created["id"])).status_code == 404
