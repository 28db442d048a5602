"""Whether comment webhooks arrive for each Instagram profile, judged from what polling found."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from collector.gaps import DataGap, GapReason
from collector.models import Comment, CommentSource, Platform, Profile
from webhooks.store import missed_by_webhooks


@shared_task(name="webhooks.tasks.check_webhooks_arriving", ignore_result=True)
def check_webhooks_arriving() -> int:
    """Flag the Instagram profiles whose comment webhooks do not arrive, from direct evidence
    (every 30 minutes, from beat); collector then polls their comments every 15 minutes.

    The evidence is a comment that polling stored (source=poll, not deleted; the first backfill's
    comments are source=backfill and never count) since the previous
    check, that was made on Meta after the profile was connected (timestamp >= created_at: the
    history the first polls load never counts) and that had existed for more than WEBHOOK_GRACE
    when we first saw it: Meta delivers comment webhooks within seconds, so a webhook should have
    brought it and did not. One such comment flags the profile, even when others did arrive by
    webhook (partial delivery). A flagged profile is cleared by a check that finds comment
    webhooks arriving again (a webhook comment first seen since the previous check) and no new
    evidence; a check that finds neither leaves the flag as it is. The comments handler clears it
    sooner, the moment a webhook comment arrives that no later miss contradicts
    (webhooks.store.webhooks_arrive_again), so the pages never contradict a live comment.

    "Since the previous check" is Profile.webhooks_checked_at (before the first check, the
    connection time), so no state lives in the cache and a late run only widens its window.
    Returns how many profiles are flagged after the check.
    """
    now = timezone.now()
    profiles = Profile.objects.filter(platform=Platform.INSTAGRAM, credential__isnull=False)
    since_last_check = Q(
        first_seen_at__gte=Coalesce(OuterRef("webhooks_checked_at"), OuterRef("created_at")), first_seen_at__lt=now
    )
    missed = missed_by_webhooks(OuterRef("pk"), OuterRef("created_at")).filter(since_last_check)
    arrived = Comment.objects.filter(since_last_check, profile=OuterRef("pk"), source=CommentSource.WEBHOOK)
    rows = list(
        profiles.annotate(missed=Exists(missed), arrived=Exists(arrived)).values_list(
            "pk", "webhooks_missing", "missed", "arrived"
        )
    )
    flag = [pk for pk, flagged, missing, _ in rows if missing and not flagged]
    clear = [pk for pk, flagged, missing, arriving in rows if flagged and arriving and not missing]
    Profile.objects.filter(pk__in=flag).update(webhooks_missing=True)
    Profile.objects.filter(pk__in=clear).update(webhooks_missing=False)
    for pk in flag:
        DataGap.objects.begin(pk, GapReason.WEBHOOKS_MISSING, "comments found by polling that no webhook brought")
    for pk in clear:
        DataGap.objects.end(pk, GapReason.WEBHOOKS_MISSING)
    Profile.objects.filter(pk__in=[row[0] for row in rows]).update(webhooks_checked_at=now)
    return len({pk for pk, flagged, missing, _ in rows if flagged or missing} - set(clear))
