"""`make run` seeds a demo login so a newcomer can click through at once.

With the sandbox running (META_SANDBOX_URL set), the demo organization also gets the sandbox's
accounts connected, through the same connect service a login uses: tokens are minted by the
sandbox's control API, as if the demo person had clicked Allow. This reconnects on every run:
the sandbox keeps its tokens across runs (var/sandbox-state.pickle) but starts afresh when that
file is gone or discarded. `make run` calls it before any worker starts, and a task still calling
with a token it replaced cannot undo it (Credential.mark_needs_reconnect marks only the token that
failed).
"""

from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts import connect as connecting
from accounts.models import Membership, Organization, Role
from meta.errors import MetaError
from meta.oauth import IssuedToken

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "socialdatalab-demo"
# (login, account): Facebook brings the Page and its linked @ifma.saoluis.
DEMO_LOGINS = [("facebook", "ifma.saoluis"), ("instagram", "ifma.imperatriz"), ("instagram", "ifma.caxias")]


class Command(BaseCommand):
    help = "Create the demo user and its organization, and connect the sandbox's accounts (idempotent)."

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
        if settings.META_SANDBOX_URL:
            self.connect_sandbox_accounts(organization, user)

    def connect_sandbox_accounts(self, organization: Organization, user: Any) -> None:
        for login, account in DEMO_LOGINS:
            try:
                response = requests.post(
                    f"{settings.META_SANDBOX_URL.rstrip('/')}/_sandbox/tokens",
                    json={"login": login, "account": account},
                    timeout=10,
                )
                response.raise_for_status()
                minted = response.json()
                issued = IssuedToken(minted["access_token"], None, tuple(minted.get("scopes") or ()))
                connect = connecting.connect_instagram if login == "instagram" else connecting.connect_facebook
                credentials = connect(organization, user, issued)
            except (requests.RequestException, MetaError, KeyError) as exc:
                self.stderr.write(f"seed_demo: could not connect {account} through {login}: {exc}")
                continue
            names = ", ".join(credential.name for credential in credentials)
            self.stdout.write(f"seed_demo: connected {names} ({login} login)")
