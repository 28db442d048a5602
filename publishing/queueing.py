"""Stories onto the `publish` queue, after the current transaction commits.

The one place that queues publishing runs from a request (the Story API, the admin's retry), so
the models hold state only and never import the tasks that import them.
"""

from __future__ import annotations

from django.db import transaction

from publishing.models import Story
from publishing.tasks import publish_story


def queue_publishing(story: Story) -> None:
    """Send the story to the `publish` queue once the current transaction commits."""
    story_id = story.pk
    transaction.on_commit(lambda: publish_story.delay(story_id))


def requeue(story: Story) -> None:
    """Back to the queue after an error or a stuck run (the admin's retry action)."""
    story.back_to_queued()
    queue_publishing(story)
