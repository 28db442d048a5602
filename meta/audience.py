"""An Instagram account's audience: who follows it, who engages with it, and when followers are online.

Reference §5.2 and Meta's IG User Insights reference (Graph v22+):
- `follower_demographics` and `engaged_audience_demographics` are `period=lifetime`,
  `metric_type=total_value`, one `breakdown` of `age`, `gender`, `city` or `country`, and a
  `timeframe`: since v20 only `this_week` and `this_month` remain (the longer look-backs were
  removed). Meta answers the top 45 segments in `total_value.breakdowns[].results[]`, read by
  dimension name (`account_insights.breakdown_results`).
- `online_followers` is `period=lifetime`: `values[].value` maps the hour of day (0-23, Pacific
  time) to followers online; a recorded answer has `{}` on days Meta has no numbers for.
- Below 100 followers (100 engagements for the engaged audience) Meta leaves the metric out of
  `data`. That is a value Meta withholds, not a zero: None here.
One request per metric and breakdown: nine a day per account.
"""

from __future__ import annotations

from typing import Any

from meta.account_insights import breakdown_results
from meta.client import GraphClient

DEMOGRAPHICS = ("follower_demographics", "engaged_audience_demographics")
DIMENSIONS = ("age", "gender", "city", "country")
TIMEFRAME = "this_month"
ONLINE_FOLLOWERS = "online_followers"


def _item(body: dict[str, Any], metric: str) -> dict[str, Any] | None:
    return next((item for item in body.get("data") or [] if item.get("name") == metric), None)


def demographics(client: GraphClient, ig_user_id: str, metric: str, dimension: str) -> dict[str, int] | None:
    """{segment: accounts} of one breakdown, or None when Meta withheld it (under its floor)."""
    params = {
        "metric": metric,
        "period": "lifetime",
        "metric_type": "total_value",
        "timeframe": TIMEFRAME,
        "breakdown": dimension,
    }
    item = _item(client.get(f"{ig_user_id}/insights", params), metric)
    if item is None:
        return None
    rows = breakdown_results(item.get("total_value") or {})
    return {str(row[dimension]): int(row["value"]) for row in rows if dimension in row and row["value"] is not None}


def online_followers(client: GraphClient, ig_user_id: str) -> dict[str, int] | None:
    """{hour "0".."23": followers online} of the latest day Meta has, or None when withheld or empty."""
    body = client.get(f"{ig_user_id}/insights", {"metric": ONLINE_FOLLOWERS, "period": "lifetime"})
    item = _item(body, ONLINE_FOLLOWERS)
    if item is None:
        return None
    days = [value.get("value") for value in item.get("values") or [] if value.get("value")]
    if not days:
        return None
    return {str(hour): int(count) for hour, count in days[-1].items()}
