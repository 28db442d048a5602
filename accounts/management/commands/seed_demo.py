"""`make run` seeds a demo login so a newcomer can click through at once."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.models import Membership, Organization, Role

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "socialdatalab-demo"


class Command(BaseCommand):
    help = "Create the demo user and its organization (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        organization = Organization.objects.filter(memberships__user=user).first()
        if organization is None:
            organization = Organization.objects.create(name="IFMA Research Lab")
            Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
        self.stdout.write(f"seed_demo: user {DEMO_USERNAME!r} in {organization.name!r}")
