"""The research statistics with hand-computed numbers: followers at the time of each post,
engagement rate by followers over a period whose followers change, the hour-of-week median with
its minimum count and its per-type variant, and the one-sentence answer."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from insights import formulas


def _posts(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
    """(account, kind, local time, interactions, reach) -> a post frame with both rates."""
    frame = pd.DataFrame(rows, columns=["account", "kind", "posted_local", "interactions", "reach"])
    frame["posted_local"] = pd.to_datetime(frame["posted_local"])
    frame["views"] = frame["reach"] * 2
    frame["followers"] = 1000.0
    return formulas.with_rates(frame)


def test_followers_are_read_interpolated_carried_or_current():
    snapshots = pd.DataFrame(
        [(1, date(2025, 3, 1), 1000), (1, date(2025, 3, 11), 2000)], columns=["profile_id", "day", "followers"]
    )
    wanted = pd.DataFrame(
        [
            (1, date(2025, 3, 1)),
            (1, date(2025, 3, 6)),
            (1, date(2025, 3, 9)),
            (1, date(2025, 4, 1)),
            (2, date(2025, 3, 6)),
        ],
        columns=["profile_id", "day"],
    )
    found = formulas.followers_on(snapshots, wanted, {1: 9999, 2: 8638})
    assert found["followers"].tolist() == [1000, 1500, 1800, 2000, 8638]
    assert found["followers_source"].tolist() == ["snapshot", "interpolated", "interpolated", "nearest", "current"]


def test_engagement_rate_by_followers_divides_each_post_by_its_own_days_followers():
    # 100 interactions at 1,000 followers, 150 at 1,500 and 400 at 2,000: 10 %, 10 %, 20 %.
    interactions = pd.Series([100, 150, 400])
    followers = pd.Series([1000, 1500, 2000])
    assert formulas.er_by_followers(interactions, followers) == pytest.approx(40 / 3)
    # The old formula, today's 2,000 followers for every post, said (650 / 3) / 2,000 = 10.83 %.
    assert formulas.er_by_followers(interactions, pd.Series([2000, 2000, 2000])) == pytest.approx(10.8333, abs=1e-4)


def test_the_heatmap_takes_the_median_counts_every_cell_and_greys_cells_under_the_minimum():
    posts = _posts(
        [
            ("@a", "reel", "2025-03-04 18:05", 10, 100),  # Tuesday 18 h: 10 %, 20 %, 60 %
            ("@a", "image", "2025-03-11 18:30", 20, 100),
            ("@a", "reel", "2025-03-18 18:59", 60, 100),
            ("@a", "reel", "2025-03-04 19:00", 900, 1000),  # Tuesday 19 h: one post of 90 %
            ("@a", "image", "2025-03-05 08:00", 5, 0),  # no reach: no rate, not counted
        ]
    )
    cells = formulas.hour_of_week(posts, min_posts=3).set_index(["weekday", "hour"])
    assert cells.loc[(2, 18), "median_er_reach"] == pytest.approx(20.0)  # the mean would be 30
    assert (cells.loc[(2, 18), "posts"], bool(cells.loc[(2, 18), "meets_minimum"])) == (3, True)
    assert (cells.loc[(2, 19), "posts"], bool(cells.loc[(2, 19), "meets_minimum"])) == (1, False)
    assert (3, 8) not in cells.index

    reels = formulas.hour_of_week(posts[posts["kind"] == "reel"], min_posts=2).set_index(["weekday", "hour"])
    assert reels.loc[(2, 18), "median_er_reach"] == pytest.approx(35.0)  # median of 10 % and 60 %
    assert reels.loc[(2, 18), "posts"] == 2


def test_the_answer_is_the_window_with_the_highest_median_and_enough_posts():
    posts = _posts(
        [
            # @caxias reels on Tue, Wed, Thu and Thu again between 18 and 21 h: 8 %, 11 %, 12 %, 15 %
            ("@caxias", "reel", "2025-03-04 18:10", 8, 100),
            ("@caxias", "reel", "2025-03-05 19:10", 11, 100),
            ("@caxias", "reel", "2025-03-06 20:10", 12, 100),
            ("@caxias", "reel", "2025-03-13 20:50", 15, 100),
            # one 90 % image of @imperatriz on Friday at 8 h: below the minimum, never the answer
            ("@imperatriz", "image", "2025-03-07 08:00", 90, 100),
            # two @imperatriz images on Mondays at 9 h, 5 % and 6 %, and a third at 10 h, 7 %
            ("@imperatriz", "image", "2025-03-03 09:00", 5, 100),
            ("@imperatriz", "image", "2025-03-10 09:00", 6, 100),
            ("@imperatriz", "image", "2025-03-17 10:00", 7, 100),
        ]
    )
    # Three posts: Wed-Thu 18-21 h holds 11 %, 12 %, 15 % (median 12 %) and beats Tue-Thu's 11.5 %.
    assert formulas.best_slot(posts, min_posts=3) == formulas.Slot("@caxias", "reel", 3, 4, 18, 21, 12.0, 3)
    # Four posts: only Tue-Thu 18-21 h has them all: median of 8, 11, 12, 15 = 11.5 %.
    assert formulas.best_slot(posts, min_posts=4) == formulas.Slot("@caxias", "reel", 2, 4, 18, 21, 11.5, 4)
    assert formulas.best_slot(posts, min_posts=5) is None


def test_the_type_table_gives_medians_means_and_sums_without_inventing_zeros():
    posts = _posts([("@a", "reel", "2025-03-04 18:05", 10, 100), ("@a", "reel", "2025-03-05 18:05", 30, 100)])
    posts.loc[1, "views"] = None
    posts["followers"] = [1000.0, 2000.0]
    table = formulas.media_type_table(formulas.with_rates(posts)).iloc[0]
    assert (table["posts"], table["median_er_reach"], table["mean_er_reach"]) == (2, 20.0, 20.0)
    assert table["mean_er_followers"] == pytest.approx((1.0 + 1.5) / 2)
    assert (table["reach"], table["views"], table["interactions"]) == (200, 200, 40)
    empty = formulas.media_type_table(formulas.with_rates(posts.assign(views=None)))
    assert pd.isna(empty.iloc[0]["views"])


def test_hashtags_are_counted_once_per_post_case_folded():
    posts = _posts([("@a", "image", "2025-03-04 18:05", 10, 100), ("@a", "image", "2025-03-05 18:05", 30, 300)])
    posts["caption"] = ["Vestibular #IFMA #ifma #Educação", "Resultado #ifma"]
    table = formulas.hashtags(posts).set_index("hashtag")
    assert table.loc["ifma", "posts"] == 2 and table.loc["ifma", "median_reach"] == 200
    assert table.loc["educação", "posts"] == 1 and table.loc["educação", "median_er_reach"] == pytest.approx(10.0)
    assert list(table.index) == ["ifma", "educação"]


def test_a_tie_goes_to_the_narrowest_window():
    posts = _posts([("@a", "reel", datetime(2025, 3, 4, 23, 30).isoformat(), 10, 100)] * 3)
    slot = formulas.best_slot(posts, min_posts=3)
    assert (slot.first_day, slot.last_day, slot.start_hour, slot.end_hour) == (2, 2, 21, 24)
