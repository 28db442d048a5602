"""A published story's results as Meta reports them, stored with where each value came from."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from meta import publishing as graph
from meta.conf import MetaConfig
from meta.errors import MetaError
from publishing.models import Channel, Story, StoryInsight, StoryStatus

# Meta keeps a story up for 24 h; one more pass after that reads its final counts.
LIFETIME = timedelta(hours=25)
FRESH_FOR = timedelta(minutes=5)
NOT_ENOUGH_VIEWERS = 10  # Meta's code for an Instagram story under 5 viewers: not a failure


def live_stories() -> QuerySet[Story]:
    return Story.objects.filter(
        status=StoryStatus.PUBLISHED, facebook_post_id__isnull=False, published_at__gte=timezone.now() - LIFETIME
    )


def needs_refresh(story: Story) -> bool:
    if story.status != StoryStatus.PUBLISHED or not story.facebook_post_id or story.published_at is None:
        return False
    if timezone.now() - story.published_at > LIFETIME:
        return False
    last = story.insights.filter(facebook_post_id=story.facebook_post_id).order_by("-collected_at").first()
    return last is None or timezone.now() - last.collected_at > FRESH_FOR


def _source(story: Story, item: dict[str, Any]) -> str:
    edge = f"GET /{story.facebook_post_id}/insights?metric={item.get('name')}"
    if item.get("total_value", {}).get("breakdowns"):
        edge += f"&breakdown={graph.NAVIGATION_BREAKDOWN}"
    return f"Meta Graph API {edge} ({item.get('period', 'lifetime')})"


def _values(item: dict[str, Any]) -> tuple[int | None, dict[str, int]]:
    values = item.get("values") or [{}]
    value = values[-1].get("value")
    breakdown: dict[str, int] = {}
    for group in (item.get("total_value") or {}).get("breakdowns") or []:
        for result in group.get("results") or []:
            breakdown[str((result.get("dimension_values") or ["?"])[0]).lower()] = int(result.get("value") or 0)
    return (int(value) if isinstance(value, int | float) else None), breakdown


def collect(story: Story) -> int:
    """Read the story's insights from Meta and store them; returns how many values were stored."""
    credential = story.page_credential()
    if credential is None or not credential.is_usable or not story.facebook_post_id:
        return 0
    client = credential.graph_client(config=replace(MetaConfig.from_settings(), retries=1))
    try:
        if story.channel == Channel.INSTAGRAM:
            items = graph.instagram_story_insights(client, story.facebook_post_id)
        else:
            items = graph.page_story_insights(client, story.facebook_post_id)
    except MetaError as exc:
        if exc.code != NOT_ENOUGH_VIEWERS:
            raise
        items = []
    now = timezone.now()
    names = {meta_name: ours for ours, meta_name in graph.PAGE_STORY_METRICS.items()}
    for item in items:
        value, breakdown = _values(item)
        StoryInsight.objects.update_or_create(
            story=story,
            facebook_post_id=story.facebook_post_id,
            metric=names.get(str(item.get("name")), str(item.get("name"))),
            defaults={
                "value": value,
                "breakdown": breakdown,
                "source": _source(story, item)[:300],
                "collected_at": now,
            },
        )
    return len(items)
