"""`manage.py collect <username>|--all [--backfill]`: queue collection for researchers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from collector.models import Profile
from collector.tasks import backfill_profile, sync_profile


class Command(BaseCommand):
    help = "Queue an incremental sync (or a backfill) of one profile by username, or of all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?")
        parser.add_argument("--all", action="store_true")
        parser.add_argument("--backfill", action="store_true")

    def handle(self, *args: Any, username: str | None, all: bool, backfill: bool, **options: Any) -> None:
        if bool(username) == all:
            raise CommandError("give a username or --all")
        profiles = Profile.objects.filter(credential__isnull=False)
        if username:
            profiles = profiles.filter(username=username.lstrip("@"))
            if not profiles.exists():
                raise CommandError(f"no connected profile @{username}")
        task = backfill_profile if backfill else sync_profile
        for profile in profiles:
            task.delay(profile.pk)
            self.stdout.write(f"queued {'backfill' if backfill else 'sync'} of {profile}")
