"""The account's own numbers: today's snapshot (nightly) and, on day one, the days before it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from collector import pages as page_jobs
from collector import pipeline
from collector.collect import Job, refresh_profile
from collector.gaps import DataGap, GapReason
from collector.models import FOLLOWER_PRIVACY_FLOOR, Platform, Profile, ProfileSnapshot
from meta import account_insights as account
from meta import metrics
from meta.errors import MetaError, PermissionMissing, RateLimited, TokenInvalid, TransientError

# Day one's account history: today's snapshot and the days before it that Meta's follower_count
# still covers (the last 30 days, today excluded), so the growth chart and the account insights
# of a 7- or 30-day period have numbers right after connecting.
HISTORY_DAYS = metrics.ACCOUNT_NEW_FOLLOWERS_DAYS


def _account_values(body: dict[str, Any]) -> dict[str, Any]:
    """Snapshot columns from Meta's total_value account insights (one window's totals)."""
    values: dict[str, Any] = {}
    for item in body.get("data") or []:
        total = item.get("total_value") or {}
        rows = account.breakdown_results(total)
        if item["name"] == metrics.ACCOUNT_FOLLOWS:
            split = {row.get("follow_type"): row["value"] for row in rows}
            values["follows"], values["unfollows"] = split.get("FOLLOWER"), split.get("NON_FOLLOWER")
        elif item["name"] == "reach" and rows:
            values["reach_breakdown"] = _reach_breakdown(rows)
        elif item["name"] in metrics.ACCOUNT_DAILY:
            values[item["name"]] = total.get("value")
    values["raw"] = {"data": body.get("data") or []}  # not `paging`: its URLs carry the token
    return values


def _reach_breakdown(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """{surface: {follow type: reach}} from the pairs of `breakdown=media_product_type,follow_type`."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        surface, follow_type = row.get("media_product_type"), row.get("follow_type")
        if surface and follow_type and isinstance(row["value"], int):
            out.setdefault(surface, {})[follow_type] = row["value"]
    return out


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def snapshot(job: Job) -> None:
    """Today's ProfileSnapshot (one row per profile and UTC date): the counters as read now and
    the account insights of the last complete UTC day. A closed day's totals do not move, so a
    second run the same day rewrites the row with the same facts."""
    profile = job.profile
    if profile.platform == Platform.FACEBOOK_PAGE:
        page_jobs.snapshot(job)
        return
    refresh_profile(job)
    today = timezone.now().date()
    values: dict[str, Any] = {
        "followers_count": profile.followers_count,
        "follows_count": profile.follows_count,
        "media_count": profile.media_count,
        "followers_estimated": False,
    }
    if profile.platform == Platform.INSTAGRAM:
        midnight = _midnight(today)
        values |= _account_values(
            account.account_insights(job.client, profile.meta_id, midnight - timedelta(days=1), midnight)
        )
    values["suppressed"] = _withheld(profile, values)
    if values["suppressed"]:
        DataGap.objects.begin(profile.pk, GapReason.WITHHELD, ", ".join(values["suppressed"]) + " (< 100 followers)")
    ProfileSnapshot.objects.update_or_create(profile=profile, date=today, defaults=values)
    job.upserted += 1


def _withheld(profile: Profile, values: dict[str, Any]) -> dict[str, int]:
    """{column: 100} for the follower figures Meta left out because the account is under its
    privacy floor of 100 followers: null with that reason, not an unknown."""
    if not profile.below_follower_floor:
        return {}
    return {name: FOLLOWER_PRIVACY_FLOOR for name in ("follows", "unfollows") if values.get(name) is None}


def account_history(job: Job) -> None:
    """Day one's snapshots, queued after the first backfill: today's (snapshot()), then one row
    for each of the HISTORY_DAYS - 1 dates before it that has none, as the nightly snapshot would
    have written it: the account insights of the day before the row's date, and the followers at
    the start of the row's date.

    Those followers are worked back from Meta: today's followers_count minus the new followers of
    every day from the row's date to yesterday (Meta's `follower_count`, period=day, the last 30
    days only, today excluded). Two things Meta does not give stay out, and the rows say so
    (followers_estimated): the unfollows of those days (follower_count counts only new followers)
    and the followers gained so far today. Rows the nightly snapshot wrote are never replaced.
    """
    snapshot(job)
    profile = job.profile
    if profile.platform != Platform.INSTAGRAM:
        return
    today = timezone.now().date()
    dates = [today - timedelta(days=back) for back in range(1, HISTORY_DAYS)]
    held = set(ProfileSnapshot.objects.filter(profile=profile, date__in=dates).values_list("date", flat=True))
    missing = [day for day in dates if day not in held]
    if not missing:
        return
    series = account.new_followers(job.client, profile.meta_id, _midnight(dates[-1]), _midnight(today))
    gained = {_day_of(point["end_time"]): point.get("value") or 0 for point in series}
    followers = _followers_worked_back(profile.followers_count, gained, dates)
    windows = {day: (_midnight(day) - timedelta(days=1), _midnight(day)) for day in missing}
    totals = account.daily_account_totals(job.client, profile.meta_id, list(windows.values()))
    rows = [
        _history_row(profile, day, totals[window], gained, followers)
        for day, window in windows.items()
        if window in totals  # one Meta did not finish stays without a row, as before connecting
    ]
    ProfileSnapshot.objects.bulk_create(rows, ignore_conflicts=True)  # a nightly row written meanwhile wins
    job.upserted += len(rows)


def _history_row(
    profile: Profile,
    day: date,
    body: dict[str, Any] | MetaError,
    gained: dict[date, int],
    followers: dict[date, int],
) -> ProfileSnapshot:
    """The snapshot of a past `day`: the totals of the day before it, its worked-back followers."""
    if isinstance(body, (RateLimited, TransientError, TokenInvalid, PermissionMissing)):
        raise body  # run_job pauses, retries or asks for a reconnect; nothing half-done is kept
    values = _account_values(body) if isinstance(body, dict) else {"raw": {"error": str(body)}}
    previous = day - timedelta(days=1)
    values["follows"] = gained.get(previous)
    values["raw"]["new_followers"] = gained.get(previous)
    values["suppressed"] = _withheld(profile, values)
    return ProfileSnapshot(
        profile=profile, date=day, followers_count=followers.get(day), followers_estimated=day in followers, **values
    )


def _day_of(end_time: str) -> date:
    """The day a period=day value counts: Meta stamps it with the day's end (08:00 or 07:00 UTC,
    midnight in California), so the day is the one before."""
    return (datetime.strptime(end_time, pipeline.GRAPH_TIME) - timedelta(days=1)).date()


def _followers_worked_back(now: int | None, gained: dict[date, int], dates: list[date]) -> dict[date, int]:
    """{date: followers at its start} for `dates` (newest first, from yesterday): today's count
    minus the new followers of that date and every later one. Days after the newest Meta
    reported are still current at Meta (its day ends in California) and count as none gained,
    like today; a day missing before it ends the estimate, since every older date would be wrong."""
    if now is None or not gained:
        return {}
    newest = max(gained)
    followers, estimates = now, {}
    for day in dates:
        if day not in gained and day < newest:
            break
        followers = max(0, followers - gained.get(day, 0))
        estimates[day] = followers
    return estimates
