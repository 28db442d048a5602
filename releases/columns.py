"""The codebook's parts: a column's entry (type, unit, definition, source, missing-value coding),
the reasons a value may be missing, and the helpers releases.codebook builds its registry with.

Definitions of computed metrics are read from insights.metrics, the metric registry the pages use,
so the codebook says what the pages compute.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from insights import metrics

STRING, INT, FLOAT, BOOL, DATE, TIME = "string", "int64", "float64", "boolean", "date", "timestamp (UTC)"
EMPTY = _("empty cell in CSV, null in Parquet")
NEVER = _("never missing")
IG, FB = "Instagram", "Facebook Page"
IG_USER, IG_MEDIA, IG_INSIGHTS = "GET /{ig-user-id}", "GET /{ig-user-id}/media", "GET /{ig-media-id}/insights"
IG_ACCOUNT = "GET /{ig-user-id}/insights period=day metric_type=total_value"
IG_COMMENTS = "GET /{ig-media-id}/comments; webhook field comments"
FB_POSTS, FB_DAILY = "GET /{page-id}/published_posts", "GET /{page-id}/insights period=day"
DERIVED = "derived"


class UndocumentedColumn(LookupError):
    """A table names a column the codebook does not define."""


@dataclass(frozen=True)
class Column:
    kind: str
    definition: str | Promise
    unit: str | Promise = ""
    endpoint: str = ""
    field: str = ""
    missing: str | Promise = NEVER
    reason: bool = False  # a `<name>_missing` column says why a value is empty

    def row(self, table: str, name: str) -> dict[str, str]:
        return {
            "file": table,
            "column": name,
            "type": self.kind,
            "unit": str(self.unit),
            "definition": str(self.definition),
            "source_endpoint": self.endpoint,
            "source_field": self.field,
            "missing_values": str(self.missing),
        }


# Why a value is empty (the `<name>_missing` columns): a value Meta never gave is not a 0.
MISSING_CODES: dict[str, str | Promise] = {
    "hidden_by_meta_below_5": _("Meta withholds it below 5 viewers (its privacy floor)"),
    "hidden_by_meta_below_100": _("Meta withholds it from accounts under 100 followers"),
    "before_business_conversion": _("posted before the account became a professional account: Meta has no insights"),
    "not_available_for_type": _("Meta has no such metric for this media type"),
    "no_reach": _("reach is unknown or zero, so the rate has no denominator"),
    "not_collected": _("not reported by Meta when the data was collected"),
}


def reason_column(name: str) -> Column:
    codes = "; ".join(f"{code}: {text}" for code, text in MISSING_CODES.items())
    return Column(
        STRING,
        _("Why %(column)s is empty, one of the codes: %(codes)s.") % {"column": name, "codes": codes},
        endpoint=DERIVED,
        missing=_("empty when %(column)s has a value") % {"column": name},
    )


def metric(key: str) -> str | Promise:
    found = next(metric for metric in metrics.DEFINITIONS if metric.key == key)
    # Lazy all the way: the codebook is written in the release's language, not the import's.
    return format_lazy(_("{definition} Formula: {formula}."), definition=found.definition, formula=found.formula)


def count(definition: str | Promise, endpoint: str, field: str, unit: str | Promise = "") -> Column:
    return Column(INT, definition, unit or _("count"), endpoint, field, EMPTY, reason=True)


PSEUDONYM = _(
    "A stable pseudonym: the first 16 hex digits of HMAC-SHA256 of the person's Meta id with the "
    "organization's secret key. The same person has the same pseudonym in every release of the "
    "organization; usernames and Meta ids of people other than the account are never released (LGPD)."
)
