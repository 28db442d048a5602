"""Formatting for metric values: percentages, signed changes, and "—" for unknown."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.dateparse import parse_date
from django.utils.formats import date_format, get_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext_lazy

from collector.models import STORY_PRIVACY_FLOOR, InsightsUnavailable, Provenance
from insights.moderation import post_label as _post_label

BELOW_PRIVACY_FLOOR = InsightsUnavailable.BELOW_PRIVACY_FLOOR.value
register = template.Library()
HEAT_COUNT = '<td class="{}" data-posts="{}"><span class="heat-n">{}</span></td>'
HEAT_MEDIAN = (
    '<td class="{}" data-posts="{}" data-median="{}">'
    '<span class="heat-value">{}</span><span class="heat-n">{}</span></td>'
)
UNKNOWN = "—"
# What a moderation action or a DM reply says beside its comment, as one phrase ("Reply sent"),
# rather than "Reply: Done", which reads as a command in Portuguese ("Responder: Concluída").
ACTION_LABELS = {
    ("reply", "pending"): pgettext_lazy("action state", "Sending reply…"),
    ("reply", "done"): pgettext_lazy("action state", "Reply sent"),
    ("reply", "failed"): pgettext_lazy("action state", "Reply failed"),
    ("hide", "pending"): pgettext_lazy("action state", "Hiding…"),
    ("hide", "done"): pgettext_lazy("action state", "Hide confirmed"),
    ("hide", "failed"): pgettext_lazy("action state", "Hide failed"),
    ("unhide", "pending"): pgettext_lazy("action state", "Unhiding…"),
    ("unhide", "done"): pgettext_lazy("action state", "Unhide confirmed"),
    ("unhide", "failed"): pgettext_lazy("action state", "Unhide failed"),
    ("delete", "pending"): pgettext_lazy("action state", "Deleting…"),
    ("delete", "done"): pgettext_lazy("action state", "Deletion confirmed"),
    ("delete", "failed"): pgettext_lazy("action state", "Deletion failed"),
}


@register.filter
def percent(value: float | None, digits: int = 2) -> str:
    # Rounded first: Django's number_format cuts a float's extra digits (19.96 -> "19.9").
    return UNKNOWN if value is None else f"{number_format(round(value, digits), digits)}%"


@register.filter
def signed_change(value: float | None) -> str:
    """A change in percent with its sign, e.g. +12.5% or -3.0% (with a true minus sign)."""
    if value is None:
        return UNKNOWN
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return f"{sign}{number_format(round(abs(value), 1), 1)}%"


@register.filter
def trend(value: float | None) -> str:
    """A CSS class for a change: up, down or flat."""
    if value is None or abs(value) < 0.05:
        return "trend-flat"
    return "trend-up" if value > 0 else "trend-down"


@register.filter
def count(value: int | None) -> str:
    return UNKNOWN if value is None else intcomma(value)


@register.filter
def count_float(value: float | None) -> str:
    """A sum pandas made a float (it has missing values), shown as a whole number or "—"."""
    return UNKNOWN if value is None or value != value else intcomma(round(value))  # NaN != NaN


@register.simple_tag
def heat_cells(cells: list[dict]) -> str:
    """A heatmap row's 24 cells: the median (localised, one decimal) over the number of posts.
    Built here rather than in a template loop (three profiles x 168 cells were most of the
    analysis page's rendering time); every value is a number or our own class name."""
    parts = []
    separator = escape(get_format("DECIMAL_SEPARATOR"))  # once: number_format per cell was half the tag's time
    for cell in cells:
        classes = f"heat-{int(cell['level'])}" + (" heat-below" if cell["below"] else "")
        posts = int(cell["posts"])
        if cell["median"] is None:
            parts.append(HEAT_COUNT.format(classes, posts, posts))
        else:
            median = float(cell["median"])
            shown = f"{median:.1f}".replace(".", separator)
            parts.append(HEAT_MEDIAN.format(classes, posts, f"{median:.4f}", shown, posts))
    return mark_safe("".join(parts))  # noqa: S308 - numbers and our class names only


@register.simple_tag
def story_metric(story: dict, name: str) -> str:
    """A story's last value of `name`, or "hidden by Meta below 5" when Meta withheld it (a -1 in
    the story_insights webhook, or "(#10) Not enough viewers") rather than "—" or a zero."""
    floor = (story.get("last_suppressed") or {}).get(name)
    return _withheld_or_count(
        story.get(f"last_{name}"), floor, story.get("insights_unavailable") == BELOW_PRIVACY_FLOOR
    )


def _withheld_or_count(value: int | None, floor: int | None, below_floor: bool) -> str:
    if value is None and (floor or below_floor):
        return gettext("hidden by Meta below %(floor)s") % {"floor": floor or STORY_PRIVACY_FLOOR}
    return count(value)


@register.filter
def lookup(mapping: dict, key: object) -> object:
    return mapping.get(key)


@register.filter
def isodate(value: str) -> str:
    """A "YYYY-MM-DD" of a chart's series as the page's one date format ("Dec 1, 2026")."""
    day = parse_date(value or "")
    return date_format(day) if day else value


@register.filter
def action_label(action: object) -> str:
    """The state of a CommentAction, or of a MessageReply (always a reply), as one phrase."""
    kind = getattr(action, "kind", "reply")
    return str(ACTION_LABELS[(kind, getattr(action, "status", ""))])


@register.filter
def post_label(media: object) -> str:
    """A post named for people: kind or caption, date, comment count (insights.moderation.post_label)."""
    return _post_label(media)


@register.simple_tag
def reading_value(reading: object, name: str) -> str:
    """One value of a story's capture: the count, "hidden by Meta below 5", or "—" (not read)."""
    floor = (getattr(reading, "suppressed", None) or {}).get(name)
    return _withheld_or_count(getattr(reading, name), floor, getattr(reading, "unavailable", "") == BELOW_PRIVACY_FLOOR)


PROVENANCE_LABELS = {
    Provenance.LIVE: pgettext_lazy("provenance", "Live at %(time)s"),
    Provenance.PRE_EXPIRY: pgettext_lazy("provenance", "Pre-expiry at %(time)s"),
    Provenance.WEBHOOK_FINAL: pgettext_lazy("provenance", "Webhook final, received at %(time)s"),
}


@register.simple_tag
def provenance(reading: object) -> str:
    """Where a capture's values come from, at the viewer's local time: "Live at 14:00", and
    "Unavailable: <why>" when Meta gave none."""
    when = date_format(localtime(reading.captured_at), "TIME_FORMAT")  # type: ignore[attr-defined]
    label = str(PROVENANCE_LABELS.get(reading.provenance, PROVENANCE_LABELS[Provenance.LIVE])) % {"time": when}  # type: ignore[attr-defined]
    if reading.unavailable:  # type: ignore[attr-defined]
        reason = reading.get_unavailable_display()  # type: ignore[attr-defined]
        return gettext("Unavailable (%(reason)s) · %(read)s") % {"reason": reason, "read": label}
    return label
