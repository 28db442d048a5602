"""Formatting for metric values: percentages, signed changes, and "—" for unknown."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

from insights.moderation import post_label as _post_label

register = template.Library()
UNKNOWN = "—"


@register.filter
def percent(value: float | None, digits: int = 2) -> str:
    return UNKNOWN if value is None else f"{number_format(value, digits)}%"


@register.filter
def signed_change(value: float | None) -> str:
    """A change in percent with its sign, e.g. +12.5% or -3.0% (with a true minus sign)."""
    if value is None:
        return UNKNOWN
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return f"{sign}{number_format(abs(value), 1)}%"


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
def lookup(mapping: dict, key: object) -> object:
    return mapping.get(key)


@register.filter
def post_label(media: object) -> str:
    """A post named for people: kind or caption, date, comment count (insights.moderation.post_label)."""
    return _post_label(media)
