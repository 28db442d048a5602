"""A 100 MB video upload, measured as bench/story_upload.py measures it, stays within issue #14's bound."""

from __future__ import annotations

from typing import Any

import pytest

from bench.story_upload import measure, video_body, web_server
from publishing.models import Story
from tests.conftest import worker_environment
from tests.publishing.conftest import MEDIA_ROOT, Dealer, RegisteredClient, headers_for, stories_url
from tests.sandbox_process import free_port

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_a_100_mb_video_grows_the_web_process_by_less_than_one_and_a_half_times_and_is_given_back(
    dealer: Dealer, api_client_app: RegisteredClient, settings: Any
) -> None:
    headers = {
        name[5:].replace("_", "-").title(): value for name, value in headers_for(dealer.owner, api_client_app).items()
    }
    env = worker_environment(settings, MEDIA_ROOT=str(MEDIA_ROOT))

    with web_server(env, free_port()) as (url, pid):
        result = measure(url, pid, stories_url(dealer.organization.pk), headers, video_body(dealer.page_id), 1)

    assert result.statuses == (201,)
    assert result.per_upload_ratio <= 1.5, result
    assert result.within_bound, result
    stored = Story.objects.get()
    assert stored.asset.size == 100 * 1024 * 1024
    stored.asset.delete()  # 100 MB less in the run's media folder
