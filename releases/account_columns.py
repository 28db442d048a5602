"""Codebook entries of the account-level tables fed by the collector's ledgers: data_gaps
(collector.gaps) and audience (collector.audience), and of the coded comment columns, which are
read from collector.coded.CODEBOOK (the classifier's own codebook) rather than written again.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

import classifier
from collector.coded import CODEBOOK, CodebookEntry
from collector.gaps import GapReason
from releases.columns import BOOL, DATE, DERIVED, FLOAT, IG_COMMENTS, INT, STRING, TIME, Column

IG_AUDIENCE = "GET /{ig-user-id}/insights period=lifetime metric_type=total_value timeframe breakdown"
IG_ONLINE = "GET /{ig-user-id}/insights period=lifetime metric=online_followers"
AUDIENCE_SOURCE = f"{IG_AUDIENCE}; {IG_ONLINE}"
LEDGER = _("the collector's data-gap ledger")


def _reasons() -> str:
    return "; ".join(f"{reason.value}: {reason.label}" for reason in GapReason)


reasons = lazy(_reasons, str)  # read in the release's language, not the import's

GAP_COLUMNS: dict[str, Column] = {
    "data_gaps.reason": Column(
        STRING,
        format_lazy(_("Why no data could be collected, one of: {reasons}."), reasons=reasons()),
        "",
        DERIVED,
        LEDGER,
    ),
    "started_at_utc": Column(
        TIME,
        _("When the gap began (a worker that went down: its last heartbeat); it may precede the period."),
        "",
        DERIVED,
        LEDGER,
    ),
    "ended_at_utc": Column(
        TIME,
        _("When data flowed again (a completed collection run, an answered value); it may follow the period."),
        "",
        DERIVED,
        LEDGER,
        _("empty while the gap was still open when the release was built (open_at_release is true)"),
    ),
    "open_at_release": Column(
        BOOL, _("The gap was still open when the release was built: data may be missing up to now."), endpoint=DERIVED
    ),
    "data_gaps.detail": Column(
        STRING,
        _(
            "What the collector saw: Meta's error message, the collection run, or which values Meta withheld. It "
            "never holds a commenter's data; a person named in it would appear only as a pseudonym."
        ),
        "",
        DERIVED,
        LEDGER,
        _("empty when the collector recorded no detail"),
    ),
}

AUDIENCE_COLUMNS: dict[str, Column] = {
    "audience.date": Column(
        DATE,
        _("The UTC day the audience was read. Meta keeps no past: each day's row is the only history there is."),
        endpoint=DERIVED,
    ),
    "audience.metric": Column(
        STRING,
        _(
            "follower_demographics (followers), engaged_audience_demographics (accounts that engaged in the "
            "timeframe) or online_followers (followers online by hour)."
        ),
        "",
        AUDIENCE_SOURCE,
        "metric",
    ),
    "audience.breakdown": Column(
        STRING, _("age, gender, city or country; hour for online_followers."), "", AUDIENCE_SOURCE, "breakdown"
    ),
    "audience.timeframe": Column(
        STRING,
        _("The look-back of the demographics as Meta counts them on that day (this_month)."),
        "",
        IG_AUDIENCE,
        "timeframe",
        _("empty for online_followers, which has no timeframe"),
    ),
    "audience.segment": Column(
        STRING,
        _(
            "The value of the breakdown: an age range, F/M/U, a city, a country code, or an hour of the day 0-23 "
            "(Pacific time, as Meta gives online_followers). Meta gives only the top 45 segments of a breakdown, "
            "so a breakdown's accounts may sum to less than the total."
        ),
        "",
        f"{IG_AUDIENCE}: total_value.breakdowns[].results[].dimension_values; {IG_ONLINE}: values[].value",
        "dimension_values; hour",
        _("empty when Meta withheld the breakdown (accounts_missing says why)"),
    ),
    "audience.accounts": Column(
        INT,
        _("Accounts in the segment: followers, engaged accounts, or followers online in that hour."),
        _("accounts"),
        f"{IG_AUDIENCE}: total_value.breakdowns[].results[]; {IG_ONLINE}: values[].value",
        "value",
        _(
            "empty when Meta withheld the breakdown: under 100 followers (the engaged audience: under 100 "
            "engagements), or online_followers on a day Meta has no numbers"
        ),
        reason=True,
    ),
}

CODED_KINDS = {"str": STRING, "float": FLOAT, "bool": BOOL, "int": INT}
CODED_MISSING = _("empty cell in CSV, null in Parquet, when no classifier has coded the comment yet (coded_by empty)")


def coded(entry: CodebookEntry) -> Column:
    """A coded comment column as the classifier's codebook defines it, with the classifier's name and version."""
    definition = format_lazy(_("{definition} Values: {values}."), definition=entry.definition, values=entry.values)
    source = f"{DERIVED}: classifier {classifier.LABEL} ({classifier.NAME}, version {classifier.VERSION})"
    field = "coded_by" if entry.column == "coded_by" else f"text ({IG_COMMENTS})"
    return Column(CODED_KINDS[entry.kind], definition, "", source, field, CODED_MISSING)


CODED_COLUMNS: dict[str, Column] = {f"comments.{entry.column}": coded(entry) for entry in CODEBOOK}
CODED_NAMES: tuple[str, ...] = tuple(entry.column for entry in CODEBOOK)
COLUMNS: dict[str, Column] = {**GAP_COLUMNS, **AUDIENCE_COLUMNS, **CODED_COLUMNS}
