"""The metrics the pages show: each one named, defined and computed in one place.

The help page (/metrics/) renders DEFINITIONS, so what a person reads there is what the code
below computes. Rates are percentages; a rate whose denominator is zero or unknown is None
(shown as "—"), never 0, so a missing reach is not mistaken for no engagement.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    key: str
    name: str | Promise
    formula: str | Promise
    definition: str | Promise


DEFINITIONS: tuple[Metric, ...] = (
    Metric(
        "interactions",
        _("Interactions"),
        _("likes + comments + saves + shares"),
        _(
            "What people did with a post. Meta's own total_interactions is used when it is known (it also "
            "subtracts undone actions); otherwise the four counters are added."
        ),
    ),
    Metric(
        "er_reach",
        _("Engagement rate by reach"),
        _("interactions of posts with a known reach ÷ reach of those posts × 100"),  # noqa: RUF001 - the formula as people read it
        _(
            "Of the accounts that saw the posts, the share that interacted. Posts whose reach Meta has not "
            "reported yet are left out of both sides."
        ),
    ),
    Metric(
        "er_followers",
        _("Engagement rate by followers"),
        _("mean over posts of (interactions ÷ followers on the day of the post × 100)"),  # noqa: RUF001 - the formula as people read it
        _(
            "How much an average post engages the audience the account had when it was posted. The followers "
            "of each day come from the daily profile snapshots and, for the 30 days before connecting, from "
            "Meta's daily new followers (follower_count) worked back from the count at connection; between two "
            "recorded counts the followers are interpolated on a straight line, before the first and after the "
            "last the nearest count is used, and a profile with no recorded count uses its current one. Pages "
            "say when a period had no recorded count. Comparable across accounts of different sizes, but "
            "ignores reach from non-followers."
        ),
    ),
    Metric(
        "reach",
        _("Reach"),
        _("sum of the posts' reach"),
        _("Unique accounts that saw each post at least once, added over the posts of the period."),
    ),
    Metric(
        "views",
        _("Views"),
        _("sum of the posts' views"),
        _("How many times the posts were seen or played, repeats included (Meta's views metric)."),
    ),
    Metric(
        "posts",
        _("Posts"),
        _("count of media published in the period"),
        _("Images, carousels, reels and stories posted in the period, by the day they were posted."),
    ),
    Metric(
        "account_reach",
        _("Account reach"),
        _("sum of the daily account reach"),
        _("Unique accounts that saw any content of the account each day, from Meta's account insights."),
    ),
    Metric(
        "account_views",
        _("Account views"),
        _("sum of the daily account views"),
        _("Times any of the account's content was seen each day, from Meta's account insights."),
    ),
    Metric(
        "accounts_engaged",
        _("Accounts engaged"),
        _("sum of the daily accounts engaged"),
        _("Accounts that interacted with the account's content each day, from Meta's account insights."),
    ),
    Metric(
        "follower_gain",
        _("Follower growth"),
        _("followers at the end of the period − followers at its start"),  # noqa: RUF001 - the formula as people read it
        _(
            "Net change in followers, from the daily profile snapshots; for the days before connecting, "
            "Meta's daily new followers (unfollows of those days are not known)."
        ),
    ),
    Metric(
        "change",
        _("Change against the previous period"),
        _("(this period − previous period) ÷ previous period × 100"),  # noqa: RUF001 - the formula as people read it
        _("The previous period has the same length and ends the day before this one starts."),
    ),
    Metric(
        "best_time",
        _("Best time to post"),
        _("median engagement rate by reach of the posts published in each weekday and hour"),
        _(
            "The period's posts grouped by the weekday and hour they were posted, in your time zone, for all "
            "media types or one. Every cell shows how many posts it holds; a cell with fewer posts than the "
            "minimum (3 unless you choose another) is greyed and has no median, so one exceptional post cannot "
            "make a slot look best. Darker cells have a higher median. The median of the rate, not the total "
            "of interactions, lets large posts and small accounts compare."
        ),
    ),
    Metric(
        "analysis_answer",
        _("The analysis page's answer"),
        _(
            "highest median ER by reach over profile × media type × 1–3 consecutive weekdays × 3-hour window, n ≥ the minimum"  # noqa: RUF001, E501 - the formula as people read it
        ),
        _(
            "Each post's engagement rate by reach, grouped by profile, media type, a run of one to three "
            "consecutive weekdays (Monday to Sunday) and a three-hour window of the day, in your time zone. "
            "Only groups with at least the minimum number of posts count; the one with the highest median "
            "wins, ties going to more posts, then fewer weekdays, then the earliest window. n is its number "
            "of posts: read a small n as a hint, not a finding."
        ),
    ),
    Metric(
        "story_metrics",
        _("Story metrics"),
        _("latest capture before the story expired"),
        _(
            "Stories disappear after 24 hours and so do their insights; the collector captures them while they "
            "live, and the last capture is shown."
        ),
    ),
)


def interactions(likes: int | None, comments: int | None, saves: int | None, shares: int | None) -> int:
    return (likes or 0) + (comments or 0) + (saves or 0) + (shares or 0)


def rate(numerator: float | None, denominator: float | None) -> float | None:
    """A percentage, or None when the denominator is zero or unknown."""
    if numerator is None or not denominator:
        return None
    return 100.0 * numerator / denominator


def er_by_reach(interactions_with_reach: int, reach: int) -> float | None:
    return rate(interactions_with_reach, reach)


def er_by_followers(total_interactions: int, posts: int, followers: int | None) -> float | None:
    if not posts:
        return None
    return rate(total_interactions / posts, followers)


def er_by_followers_per_post(rate_sum: float, posts: int) -> float | None:
    """100 x the mean of interactions / followers over `posts` posts, given the sum of that ratio."""
    return rate(rate_sum, posts) if posts else None


def change(current: float | None, previous: float | None) -> float | None:
    """Percent change against the previous period; None when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return 100.0 * (current - previous) / abs(previous)
