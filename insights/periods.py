"""The period picker: 7, 30 or 90 days ending today, or a custom range, and the period before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date

PRESETS = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_DAYS = 800  # a little over the two years a backfill brings in


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    preset: int | None = None  # 7, 30, 90; None for a custom range

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        """Same length, ending the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, self.preset)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at the site time zone's midnights."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]

    def query(self) -> str:
        """The query string that selects this period again (for links and exports)."""
        if self.preset is not None:
            return f"period={self.preset}"
        return f"period=custom&start={self.start.isoformat()}&end={self.end.isoformat()}"


def last_days(days: int, today: date | None = None) -> Period:
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    return Period(today - timedelta(days=days - 1), today, days if days in PRESETS else None)


def from_query(params: Mapping[str, str], today: date | None = None) -> Period:
    """Read ?period=7|30|90 or ?period=custom&start=YYYY-MM-DD&end=YYYY-MM-DD; fall back to 30 days."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    choice = params.get("period", "")
    if choice == "custom":
        try:
            start = parse_date(params.get("start", "") or "")
            end = parse_date(params.get("end", "") or "")
        except ValueError:
            start = end = None
        if start and end:
            start, end = min(start, end), min(max(start, end), today)
            start = min(start, end)
            if (end - start).days + 1 > MAX_DAYS:
                start = end - timedelta(days=MAX_DAYS - 1)
            return Period(start, end, None)
    if choice.isdigit() and int(choice) in PRESETS:
        return last_days(int(choice), today)
    return last_days(DEFAULT_DAYS, today)
