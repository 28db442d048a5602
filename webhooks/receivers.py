"""What webhooks does when accounts announces something."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from accounts.signals import profiles_deleting
from webhooks.models import WebhookEvent


@receiver(profiles_deleting)
def forget_deliveries(sender: Any, profile_ids: list[int], meta_ids: list[str], **kwargs: Any) -> int:
    """The raw deliveries about deleted profiles hold commenters' usernames and comment and DM text.

    Gone: those linked to the profiles, and those linked to no profile (not processed yet, or their
    account was unknown) whose body names the account's id. A delivery linked to another
    organization's profile of the same account stays: that organization's connection still holds it.
    """
    about = Q(profile_id__in=profile_ids)
    for meta_id in meta_ids:
        # Meta sends ids as JSON strings, so the quoted id is the account, not a longer number.
        about |= Q(profile__isnull=True, body__contains=f'"{meta_id}"')
    deleted, _ = WebhookEvent.objects.filter(about).delete()
    return deleted
