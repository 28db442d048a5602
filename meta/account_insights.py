"""An Instagram account's own insights: the day's totals, their breakdowns, past days, new followers.

All from `GET /{ig-user-id}/insights` with `period=day`; the totals use `metric_type=total_value`
(one number per request, so past days cost one request each, batched on graph.facebook.com).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from meta import metrics
from meta.client import BATCH_LIMIT, GraphClient
from meta.conf import FACEBOOK_GRAPH
from meta.errors import BadRequest, MetaError, UnsupportedMetric


def _daily_totals(metric_names: Iterable[str], since: datetime, until: datetime) -> dict[str, Any]:
    return {
        "metric": metrics.checked_account(metric_names),
        "period": "day",
        "metric_type": "total_value",
        "since": int(since.timestamp()),
        "until": int(until.timestamp()),
    }


def account_insights(client: GraphClient, ig_user_id: str, since: datetime, until: datetime) -> dict[str, Any]:
    """The day's account totals (reach, views, accounts engaged, interactions, follows/unfollows)."""
    params = _daily_totals(metrics.ACCOUNT_DAILY, since, until)
    body = client.get(f"{ig_user_id}/insights", params)
    follows = {**params, "metric": metrics.checked_account([metrics.ACCOUNT_FOLLOWS]), "breakdown": "follow_type"}
    try:
        body["data"] += client.get(f"{ig_user_id}/insights", follows)["data"]
    except (UnsupportedMetric, BadRequest):
        pass  # below 100 followers Meta has no follows/unfollows: the snapshot keeps them empty
    by_surface = {**params, "metric": metrics.checked_account(["reach"]), "breakdown": metrics.REACH_BREAKDOWN}
    try:
        body["data"] += client.get(f"{ig_user_id}/insights", by_surface)["data"]
    except (UnsupportedMetric, BadRequest):
        pass  # the totals stand without the split
    return body


def breakdown_results(total_value: dict[str, Any]) -> list[dict[str, Any]]:
    """Each result of a total_value breakdown as {dimension key: value, …, "value": n}: one key
    per name in `dimension_keys` (two with `breakdown=media_product_type,follow_type`)."""
    rows = []
    for breakdown in total_value.get("breakdowns") or []:
        keys = breakdown.get("dimension_keys") or []
        for result in breakdown.get("results") or []:
            pairs = dict(zip(keys, result.get("dimension_values") or [], strict=False))
            rows.append({**pairs, "value": result.get("value")})
    return rows


Window = tuple[datetime, datetime]


def daily_account_totals(
    client: GraphClient, ig_user_id: str, windows: list[Window]
) -> dict[Window, dict[str, Any] | MetaError]:
    """{(since, until): the window's account totals or the MetaError} for past days, one request
    per window (Meta's total_value gives one number per request, not one per day), batched by 50
    on graph.facebook.com; a window Meta did not finish is left out (ask it again)."""
    requests = [(window, _daily_totals(metrics.ACCOUNT_DAILY, *window)) for window in windows]
    results: dict[Window, dict[str, Any] | MetaError] = {}
    if client.host == FACEBOOK_GRAPH:
        for start in range(0, len(requests), BATCH_LIMIT):
            chunk = requests[start : start + BATCH_LIMIT]
            operations = [
                {"method": "GET", "relative_url": f"{ig_user_id}/insights?{urlencode(params)}"} for _, params in chunk
            ]
            for (window, _params), result in zip(chunk, client.batch(operations), strict=True):
                if result is not None:
                    results[window] = result
        return results
    for window, params in requests:
        try:
            results[window] = client.get(f"{ig_user_id}/insights", params)
        except (UnsupportedMetric, BadRequest) as exc:
            results[window] = exc
    return results


def new_followers(client: GraphClient, ig_user_id: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Meta's `follower_count` time series: `[{"value": new followers that day, "end_time": the
    day's end}]`. Meta keeps it for the last 30 days only, the current day excluded (an older
    `since` fails the request), and has it only for accounts of 100 followers or more ([] here)."""
    params = {
        "metric": metrics.checked_account([metrics.ACCOUNT_NEW_FOLLOWERS]),
        "period": "day",
        "since": int(since.timestamp()),
        "until": int(until.timestamp()),
    }
    try:
        body = client.get(f"{ig_user_id}/insights", params)
    except (UnsupportedMetric, BadRequest):
        return []
    series = [item for item in body.get("data") or [] if item.get("name") == metrics.ACCOUNT_NEW_FOLLOWERS]
    return series[0].get("values") or [] if series else []
