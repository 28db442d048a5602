"""The engagement page's best time to post: average interactions per post by weekday and hour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils.translation import ngettext

from collector.models import Profile
from insights.aggregates import INTERACTIONS
from insights.periods import Period
from insights.reports import feed_media

HEAT_LEVELS = 5


@dataclass
class Heatmap:
    rows: list[tuple[int, list[dict[str, Any]]]]  # (ISO weekday, 24 cells)
    best: dict[str, Any] | None


def best_time_heatmap(profile: Profile, period: Period, zone: ZoneInfo) -> Heatmap:
    """Average interactions per post by weekday by hour in the viewer's zone: one grouped query."""
    cells = (
        feed_media(profile, period)
        .annotate(weekday=ExtractIsoWeekDay("timestamp", tzinfo=zone), hour=ExtractHour("timestamp", tzinfo=zone))
        .values("weekday", "hour")
        .annotate(average=Avg(INTERACTIONS), posts=Count("id"))
        .order_by()
    )
    grid = {(cell["weekday"], cell["hour"]): cell for cell in cells}
    peak = max((cell["average"] or 0 for cell in grid.values()), default=0)
    rows = []
    for weekday in range(1, 8):
        row = []
        for hour in range(24):
            cell = grid.get((weekday, hour))
            average = float(cell["average"] or 0) if cell else None
            level = 0 if not cell or not peak else max(1, round(HEAT_LEVELS * (average or 0) / peak))
            posts = cell["posts"] if cell else 0
            row.append(
                {
                    "hour": hour,
                    "average": average,
                    "shown": round(average) if average is not None else "",
                    "posts": posts,
                    "posts_label": ngettext("%(posts)s post", "%(posts)s posts", posts) % {"posts": posts},
                    "level": level,
                }
            )
        rows.append((weekday, row))
    best = None
    if grid:
        weekday, hour = max(grid, key=lambda key: (grid[key]["average"] or 0, grid[key]["posts"]))
        best = {"weekday": weekday, "hour": hour, "average": float(grid[(weekday, hour)]["average"] or 0)}
    return Heatmap(rows=rows, best=best)
