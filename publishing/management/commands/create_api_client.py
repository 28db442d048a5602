"""`manage.py create_api_client NAME [--organization ID] [--callback-url URL]`: prints the id and secret once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organization
from publishing.models import ApiClient


class Command(BaseCommand):
    help = "Create a Story API client (X-Client-ID / X-Client-Secret). The secret is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--organization", type=int, help="Serve this dealer only (its id, the dealer_id).")
        parser.add_argument("--callback-url", default="", help="Where signed story callbacks are POSTed.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = None
        if options["organization"] is not None:
            organization = Organization.objects.filter(pk=options["organization"]).first()
            if organization is None:
                raise CommandError(f"No organization with id {options['organization']}.")
        client = ApiClient(name=options["name"], organization=organization, callback_url=options["callback_url"])
        client.full_clean(exclude=["client_id", "secret_hash", "secret_encrypted"])
        secret = client.set_new_secret()
        client.save()
        # Plain lines a script can read with `read` or grep; the secret is not stored in the clear.
        self.stdout.write(f"X-Client-ID: {client.client_id}")
        self.stdout.write(f"X-Client-Secret: {secret}")
