"""The data-gap ledger: each period when a profile's data could not be collected, and why.

Research needs to know what it does not know: a day with no reach because the token had expired
is not a day with no reach. The code paths that already detect each state write here:
- collector.tasks.run_job: a dead token (needs reconnect), a rate-limit pause; a run that
  completes closes them (data flows again);
- collector.stale_work: a run whose worker stopped beating (worker down), from its last beat;
- webhooks.tasks / webhooks.store: comment webhooks missing while polling found comments;
- collector.collect / collector.audience: values Meta withheld below its privacy floors.
At most one open gap per profile and reason (a partial unique constraint), so a path that sees
the same state twice extends nothing and duplicates nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GapReason(models.TextChoices):
    TOKEN_EXPIRED = "token_expired", _("Token expired")
    TOKEN_REVOKED = "token_revoked", _("Token revoked or permission removed")
    RATE_LIMITED = "rate_limited", _("Rate-limited by Meta")
    CALL_BUDGET = "call_budget", _("Paused by our hourly call budget")
    WORKER_DOWN = "worker_down", _("Collection worker down")
    WEBHOOKS_MISSING = "webhooks_missing", _("Webhooks not arriving (comments polled instead)")
    WITHHELD = "withheld", _("Withheld by Meta (privacy floor)")


# Gaps that a completed collection run proves over: data was read from Meta again.
CLOSED_BY_A_RUN = (
    GapReason.TOKEN_EXPIRED,
    GapReason.TOKEN_REVOKED,
    GapReason.RATE_LIMITED,
    GapReason.CALL_BUDGET,
    GapReason.WORKER_DOWN,
)


class DataGapQuerySet(models.QuerySet["DataGap"]):
    def open(self) -> DataGapQuerySet:
        return self.filter(ended_at__isnull=True)

    def overlapping(self, start: datetime, end: datetime) -> DataGapQuerySet:
        """Gaps that cover any moment of [start, end): the ongoing ones included."""
        return self.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start), started_at__lt=end)

    def begin(self, profile_id: int, reason: str, detail: str = "", since: datetime | None = None) -> bool:
        """Open a gap unless one of that reason is open already; returns whether one was opened."""
        if self.filter(profile_id=profile_id, reason=reason, ended_at__isnull=True).exists():
            return False
        try:
            with transaction.atomic():
                started = since or timezone.now()
                self.create(profile_id=profile_id, reason=reason, detail=detail[:500], started_at=started)
        except IntegrityError:  # another worker opened it between the check and the insert
            return False
        return True

    def end(self, profile_id: int, *reasons: str, at: datetime | None = None) -> int:
        """Close the profile's open gaps of these reasons; returns how many closed."""
        return self.filter(profile_id=profile_id, reason__in=reasons, ended_at__isnull=True).update(
            ended_at=at or timezone.now()
        )


class DataGap(models.Model):
    """A period with no data for a profile: from `started_at` to `ended_at` (empty while ongoing)."""

    profile = models.ForeignKey("collector.Profile", on_delete=models.CASCADE, related_name="gaps")
    reason = models.CharField(_("reason"), max_length=20, choices=GapReason.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, help_text=_("Empty while the gap lasts."))
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = DataGapQuerySet.as_manager()

    class Meta:
        app_label = "collector"
        verbose_name = _("data gap")
        verbose_name_plural = _("data gaps")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "reason"], condition=Q(ended_at__isnull=True), name="one_open_gap_per_reason"
            )
        ]
        indexes = [models.Index(fields=["profile", "-started_at"], name="gap_profile_time")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.reason} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
