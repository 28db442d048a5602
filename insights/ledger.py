"""What the pages say about the data gap ledger (collector.gaps): the list on the profile page,
the bands on every time chart, and the days a chart must show as unknown rather than as 0."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from collector.gaps import CLOSED_BY_A_RUN, DataGap
from collector.models import Profile

LISTED = 50


def listing(profile: Profile, limit: int = LISTED) -> list[DataGap]:
    """The profile's gaps, newest first (one LIMITed query)."""
    return list(profile.gaps.order_by("-started_at")[:limit])


def span(series: list[dict[str, Any]]) -> tuple[date, date]:
    """The first and last day of a chart's series ("YYYY-MM-DD" dates, in order)."""
    return date.fromisoformat(series[0]["date"]), date.fromisoformat(series[-1]["date"])


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def chart_gaps(profile: Profile, first: date, last: date) -> list[dict[str, Any]]:
    """The gaps over a chart's days, as the chart script draws them (times in UTC ISO 8601)."""
    start, end = _bounds(first, last)
    return [
        {
            "start": gap.started_at.isoformat(),
            "end": gap.ended_at.isoformat() if gap.ended_at else None,
            "reason": gap.reason,
            "label": str(gap.get_reason_display()),
        }
        for gap in DataGap.objects.filter(profile=profile).overlapping(start, end).order_by("started_at")
    ]


def blank_unknown_days(series: list[dict[str, Any]], gaps: list[dict[str, Any]], keys: tuple[str, ...]) -> None:
    """Days from the start of a collection gap that is still open (among a chart's `gaps`, as
    chart_gaps gives them) are not known yet: posts made since then will be read once collection
    resumes. Their zeros become None (drawn as a break, shown as "no data"), never 0. Closed gaps
    were filled by the sync that followed them."""
    open_starts = [gap["start"] for gap in gaps if gap["end"] is None and gap["reason"] in CLOSED_BY_A_RUN]
    if not open_starts:
        return
    since = timezone.localtime(datetime.fromisoformat(min(open_starts))).date().isoformat()
    for day in series:
        if day["date"] >= since and not any(day.get(key) for key in keys):
            day.update(dict.fromkeys(keys))
