"""`python manage.py meta_doctor`: what a lab runs the first time it sets real Meta credentials.

It lives in the webhooks app because it needs the dispatch table (the webhook fields our handlers
handle) as well as the credentials. The Graph calls are meta.doctor's; this command gathers what
the project expects, prints one line per check with what to do about each failure, and exits
non-zero when anything failed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts.models import Credential
from collector.models import Platform, Profile
from meta import doctor
from meta.conf import MetaConfig
from meta.oauth import PAGE_SUBSCRIBED_FIELDS
from webhooks.dispatch import HANDLERS


def expectations() -> doctor.Expectations:
    """Page-object fields are the ones a Page is subscribed to; every other handled field comes on
    the instagram object (comments, mentions, story insights and messaging alike)."""
    page_fields = frozenset(PAGE_SUBSCRIBED_FIELDS.split(","))
    return doctor.Expectations(
        callback_url=settings.SITE_URL.rstrip("/") + reverse("webhooks:meta"),
        fields_by_object={
            "instagram": frozenset(f for f in HANDLERS if f not in page_fields),
            "page": frozenset(f for f in HANDLERS if f in page_fields),
        },
    )


def target(credential: Credential) -> doctor.Target:
    accounts = Profile.objects.filter(credential=credential, platform=Platform.INSTAGRAM).order_by("pk")
    ig_accounts = tuple(accounts.values_list("meta_id", flat=True))
    if not ig_accounts and credential.is_instagram_login:
        ig_accounts = (credential.subject_id,)
    name = credential.name or credential.subject_id
    return doctor.Target(
        label=f"credential {credential.pk} ({credential.get_kind_display()}, {name})",
        token=credential.token,
        kind=credential.kind,
        subject_id=credential.subject_id,
        required_scopes=tuple(credential.required_scopes),
        ig_accounts=ig_accounts,
    )


class Command(BaseCommand):
    help = "Check the Meta app, its webhooks and every stored credential against what this project expects."

    def handle(self, *args: Any, **options: Any) -> None:
        credentials = Credential.objects.exclude(token_encrypted="").select_related("organization").order_by("pk")
        checks = doctor.run(MetaConfig.from_settings(), expectations(), [target(c) for c in credentials])
        for check in checks:
            self.stdout.write(self._line(check))
        failed = sum(check.failed for check in checks)
        warned = sum(check.status == doctor.Status.WARN for check in checks)
        summary = f"{len(checks)} checks: {len(checks) - failed - warned} passed, {warned} warnings, {failed} failed"
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _line(self, check: doctor.Check) -> str:
        style = {doctor.Status.PASS: self.style.SUCCESS, doctor.Status.WARN: self.style.WARNING}.get(
            check.status, self.style.ERROR
        )
        line = f"{style(check.status.value)}  {check.name}: {check.detail}"
        return f"{line}\n      what to do: {check.fix}" if check.fix else line
