"""The claim is the publishing lock: one run at a time, only for queued stories, a crashed run's lease expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.models import CLAIM_LEASE, AssetType, Story, StoryStatus
from tests.publishing.conftest import Dealer

pytestmark = pytest.mark.django_db


def queued(dealer: Dealer, **fields: object) -> Story:
    return Story.objects.create(
        organization=dealer.organization, asset_type=AssetType.IMAGE, page_id=dealer.page_id, **fields
    )


def test_it_lets_one_run_claim_a_queued_story_and_refuses_the_second(dealer: Dealer) -> None:
    story = queued(dealer)

    assert Story.objects.claim(story.pk) is not None
    assert Story.objects.claim(story.pk) is None


def test_it_gives_a_crashed_runs_story_back_once_the_lease_is_over(dealer: Dealer) -> None:
    story = queued(dealer, claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1))

    assert Story.objects.claim(story.pk) is not None


@pytest.mark.parametrize("status", [StoryStatus.PUBLISHED, StoryStatus.ERROR])
def test_it_never_claims_a_story_that_is_not_queued(dealer: Dealer, status: int) -> None:
    story = queued(dealer, status=status)

    assert Story.objects.claim(story.pk) is None
