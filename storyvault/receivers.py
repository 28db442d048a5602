"""A kept story's file goes with its entry: a profile disconnected with its data, a data-deletion
request or the retention sweep deletes the rows, and this deletes what they pointed at on disk."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from storyvault.models import StoryKeep


@receiver(post_delete, sender=StoryKeep, dispatch_uid="vault-delete-story-file")
def delete_story_file(sender: type[StoryKeep], instance: StoryKeep, **_: Any) -> None:
    if instance.file:
        instance.file.delete(save=False)
