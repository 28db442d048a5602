"""A published story's results as Meta reports them, with provenance; and videos Meta would refuse."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from publishing.models import AssetType, StoryStatus
from publishing.tasks import collect_story_insights
from tests.publishing.conftest import JPEG_B64, Dealer, give_viewers, stories_url
from tests.publishing.mp4 import mp4
from tests.publishing.test_publishing_worker import queue, settled

pytestmark = pytest.mark.usefixtures("celery_worker", "transactional_db")


def insights_url(dealer: Dealer, story_id: int, channel: str = "facebook") -> str:
    return stories_url(dealer.organization.pk, story_id, channel) + "/insights"


def test_a_page_storys_reach_and_views_are_read_back_with_their_source(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)
    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE))
    give_viewers(sandbox, story.facebook_post_id, reach=120, views=180)

    assert collect_story_insights(story.pk) == 2
    body = api.get(insights_url(sandbox_dealer, story.pk)).json()

    assert body["facebook_post_id"] == story.facebook_post_id
    assert body["metrics"]["reach"]["value"] == 120 and body["metrics"]["views"]["value"] == 180
    assert body["metrics"]["reach"]["source"] == (
        f"Meta Graph API GET /{story.facebook_post_id}/insights?metric=post_impressions_unique (lifetime)"
    )


def test_an_instagram_storys_replies_and_navigation_come_with_the_breakdown(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)
    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE, channel="instagram"))
    assert story.status == StoryStatus.PUBLISHED, story.error
    give_viewers(sandbox, story.facebook_post_id, age_minutes=90, reach=40, views=60, replies=3)

    collect_story_insights(story.pk)
    metrics = api.get(insights_url(sandbox_dealer, story.pk, "instagram")).json()["metrics"]

    assert metrics["reach"]["value"] == 40 and metrics["replies"]["value"] == 3
    navigation = metrics["navigation"]
    assert set(navigation["breakdown"]) == {"tap_forward", "tap_back", "tap_exit", "swipe_forward"}
    assert navigation["value"] == sum(navigation["breakdown"].values())
    assert navigation["source"].endswith("breakdown=story_navigation_action_type (lifetime)")


def test_an_instagram_story_under_five_viewers_has_no_results_yet_and_no_error(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(sandbox_dealer.owner)
    story = settled(queue(api, sandbox_dealer, JPEG_B64, AssetType.IMAGE, channel="instagram"))

    assert collect_story_insights(story.pk) == 0
    assert api.get(insights_url(sandbox_dealer, story.pk, "instagram")).json()["metrics"] == {}


@pytest.mark.parametrize(
    ("video", "error"),
    [
        (b"\x00\x00\x00\x0cftypisom", "O arquivo MP4 está incompleto: falta a caixa moov com a descrição do vídeo."),
        (mp4(seconds=2), "O vídeo dura 2.0 s; um vídeo de story deve durar de 3 a 90 s."),
        (
            mp4(width=1920, height=1080),
            "O vídeo tem 1920x1080; um vídeo de story deve ser vertical, na proporção 9:16.",
        ),
        (mp4(codec=b"vp09"), "O codec de vídeo vp09 não é aceito: use H.264 ou H.265."),
    ],
)
def test_a_video_meta_would_refuse_ends_in_error_with_the_reason_in_portuguese(
    sandbox: Any, sandbox_dealer: Dealer, api_as: Callable[..., APIClient], video: bytes, error: str
) -> None:
    api = api_as(sandbox_dealer.owner)

    story = settled(queue(api, sandbox_dealer, base64.b64encode(video).decode(), AssetType.VIDEO))

    assert story.status == StoryStatus.ERROR and story.error == error
    assert sandbox.published()["page_stories"] == []
