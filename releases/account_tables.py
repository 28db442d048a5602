"""The rows of the account-level tables fed by the collector's ledgers: data_gaps (collector.gaps)
and audience (collector.audience, unnested as the audience export does), and the coded values of a
comment row (collector.coded).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from collector.audience import AudienceMetric
from collector.models import AudienceSnapshot, DataGap
from insights.exports import DATASETS
from meta.redact import redact
from releases.account_columns import CODED_NAMES
from releases.media_rows import seconds

if TYPE_CHECKING:
    from releases.tables import Row, Scope

GAP_COLUMNS = ("profile_id", "reason", "started_at_utc", "ended_at_utc", "open_at_release", "detail")
AUDIENCE_COLUMNS = ("profile_id", "date", "metric", "breakdown", "timeframe", "segment", "accounts")
CODED_BY = CODED_NAMES.index("coded_by")


def gaps(scope: Scope, profile: Any) -> Any:
    start, end = scope.bounds
    return DataGap.objects.filter(profile=profile).overlapping(start, end)


def gap_rows(scope: Scope) -> Iterator[Row]:
    """Every gap that covers a moment of the period, oldest first. The ledger's details name runs,
    metrics and Meta's error messages, never a commenter; they still pass through the pseudonyms,
    so a person's username or id written there by any future path leaves only as a pseudonym, and
    through the token redaction (a rate-limit message is stored unredacted)."""
    for profile in scope.profiles:
        found = gaps(scope, profile).order_by("started_at", "reason", "pk")
        rows = found.values_list("reason", "started_at", "ended_at", "detail")
        for reason, started, ended, detail in rows.iterator():
            yield (
                profile.meta_id,
                reason,
                seconds(started),
                seconds(ended),
                ended is None,
                redact(scope.people.text(detail) or "") or None,
            )


def audience(scope: Scope, profile: Any) -> Any:
    return AudienceSnapshot.objects.filter(profile=profile, date__gte=scope.period.start, date__lte=scope.period.end)


def audience_count(scope: Scope) -> int:
    """Rows the audience table will have: a segment each, one row for a withheld breakdown."""
    counts = (audience(scope, profile).values_list("values", flat=True) for profile in scope.profiles)
    return sum(1 if values is None else len(values) for each in counts for values in each.iterator())


def _missing(metric: str, accounts: int | None) -> str | None:
    if accounts is not None:
        return None
    # Demographics are withheld below Meta's floor of 100; online_followers also has days with no numbers.
    return "not_collected" if metric == AudienceMetric.ONLINE else "hidden_by_meta_below_100"


def audience_rows(scope: Scope) -> Iterator[Row]:
    """One row per day, metric, breakdown and segment (largest first), as the audience export has them."""
    for profile in scope.profiles:
        records = DATASETS["audience"].records(profile, scope.period)
        for day, metric, breakdown, timeframe, segment, accounts, _withheld in records:
            yield (
                profile.meta_id,
                day,
                metric,
                breakdown,
                timeframe or None,
                segment,
                accounts,
                _missing(metric, accounts),
            )


def coded_values(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The comment's codes; a comment no classifier coded yet has them all empty, not "neutral, no flags"."""
    return values if values[CODED_BY] else (None,) * len(values)
