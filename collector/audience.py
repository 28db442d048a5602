"""Audience history: Meta's demographics and online followers, read once a day and kept per day.

Meta answers demographics as a lifetime figure of "this month" that changes from day to day and
keeps no past: the daily row is the only history there will be. A breakdown Meta withholds (under
100 followers or engagements) is stored with `values` null and its reason, never as zeros, and
opens a "withheld" gap in the ledger (collector.gaps) until a day it is answered again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collector.gaps import DataGap, GapReason
from meta import audience

if TYPE_CHECKING:
    from collector.collect import Job

WITHHELD_BELOW_FLOOR = "below_privacy_floor"


class AudienceMetric(models.TextChoices):
    FOLLOWERS = audience.DEMOGRAPHICS[0], _("Followers")
    ENGAGED = audience.DEMOGRAPHICS[1], _("Engaged audience")
    ONLINE = audience.ONLINE_FOLLOWERS, _("Followers online by hour")


class AudienceSnapshot(models.Model):
    """One breakdown of one audience metric on one day: {segment: accounts}."""

    profile = models.ForeignKey("collector.Profile", on_delete=models.CASCADE, related_name="audience")
    date = models.DateField(_("date"))
    metric = models.CharField(_("metric"), max_length=40, choices=AudienceMetric.choices)
    breakdown = models.CharField(_("breakdown"), max_length=16, help_text="age, gender, city, country or hour")
    timeframe = models.CharField(_("timeframe"), max_length=16, blank=True)
    values = models.JSONField(_("values"), null=True, blank=True, help_text="{segment: accounts}; null: withheld")
    withheld = models.CharField(_("withheld by Meta"), max_length=40, blank=True)
    captured_at = models.DateTimeField(_("captured at"), auto_now=True)

    class Meta:
        app_label = "collector"
        verbose_name = _("audience snapshot")
        verbose_name_plural = _("audience snapshots")
        ordering = ["profile", "-date", "metric", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "date", "metric", "breakdown"], name="one_audience_row_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.date} {self.metric}/{self.breakdown}"

    @property
    def ranked(self) -> list[tuple[str, int, float]]:
        """(segment, accounts, share of the breakdown's total in %), largest first."""
        total = sum((self.values or {}).values()) or 1
        pairs = sorted((self.values or {}).items(), key=lambda pair: (-pair[1], pair[0]))
        return [(segment, count, 100 * count / total) for segment, count in pairs]


def _readings(job: Job) -> list[tuple[str, str, str, dict[str, int] | None]]:
    """(metric, breakdown, timeframe, values or None) of today's nine requests."""
    readings: list[tuple[str, str, str, dict[str, int] | None]] = []
    for metric in audience.DEMOGRAPHICS:
        for dimension in audience.DIMENSIONS:
            values = audience.demographics(job.client, job.profile.meta_id, metric, dimension)
            readings.append((metric, dimension, audience.TIMEFRAME, values))
    readings.append((audience.ONLINE_FOLLOWERS, "hour", "", audience.online_followers(job.client, job.profile.meta_id)))
    return readings


def collect_audience(job: Job) -> None:
    """Today's audience rows for an Instagram account (a Facebook Page has none here)."""
    profile = job.profile
    if profile.is_page:
        return
    today = timezone.now().date()
    withheld = []
    for metric, breakdown, timeframe, values in _readings(job):
        AudienceSnapshot.objects.update_or_create(
            profile=profile,
            date=today,
            metric=metric,
            breakdown=breakdown,
            defaults={
                "timeframe": timeframe,
                "values": values,
                "withheld": WITHHELD_BELOW_FLOOR if values is None else "",
            },
        )
        job.upserted += 1
        if values is None:
            withheld.append(f"{metric}/{breakdown}")
    if withheld:
        DataGap.objects.begin(profile.pk, GapReason.WITHHELD, "audience: " + ", ".join(withheld))
    else:
        DataGap.objects.end(profile.pk, GapReason.WITHHELD)


def latest(profile: Any) -> dict[str, Any]:
    """The newest day's rows, {metric: {breakdown: row}}, and that day: for the profile page."""
    newest = AudienceSnapshot.objects.filter(profile=profile).order_by("-date").values_list("date", flat=True).first()
    rows = AudienceSnapshot.objects.filter(profile=profile, date=newest) if newest else []
    table: dict[str, dict[str, AudienceSnapshot]] = {}
    for row in rows:
        table.setdefault(row.metric, {})[row.breakdown] = row
    return {"date": newest, "metrics": table}
