"""The codebook, as code: every column a release can contain, defined once.

A table of releases.tables names its columns; each name must be here (or as "table.column" where a
table gives a shared name its own meaning), else the build stops with UndocumentedColumn and
tests/releases/test_codebook.py fails. A column with `reason` also gets a `<name>_missing`
column, documented from columns.MISSING_CODES.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from releases import account_columns
from releases.columns import (
    BOOL,
    DATE,
    DERIVED,
    EMPTY,
    FB,
    FB_DAILY,
    FB_POSTS,
    FLOAT,
    IG,
    IG_ACCOUNT,
    IG_COMMENTS,
    IG_INSIGHTS,
    IG_MEDIA,
    IG_USER,
    INT,
    PSEUDONYM,
    STRING,
    TIME,
    Column,
    UndocumentedColumn,
    count,
    metric,
    reason_column,
)

COLUMNS: dict[str, Column] = {
    "profile_id": Column(
        STRING,
        _("Meta's id of the Instagram account or Facebook Page."),
        "",
        f"{IG}: {IG_USER}; {FB}: GET /{{page-id}}",
        "id",
    ),
    "platform": Column(STRING, _("instagram or facebook_page."), endpoint=DERIVED),
    "username": Column(
        STRING, _("The account's own username (the account is not pseudonymized)."), "", IG_USER, "username", EMPTY
    ),
    "name": Column(STRING, _("The account's display name."), "", IG_USER, "name", EMPTY),
    "account_type": Column(
        STRING, _("BUSINESS or MEDIA_CREATOR, as Meta reports it."), "", IG_USER, "account_type", EMPTY
    ),
    "biography": Column(
        STRING, _("The account's biography; @mentions of people are pseudonymized."), "", IG_USER, "biography", EMPTY
    ),
    "profiles.followers_count": Column(
        INT, _("Followers when the release was built."), _("accounts"), IG_USER, "followers_count", EMPTY
    ),
    "profiles.follows_count": Column(
        INT, _("Accounts it follows when the release was built."), _("accounts"), IG_USER, "follows_count", EMPTY
    ),
    "profiles.media_count": Column(
        INT,
        _("Media Meta counts for the account when the release was built."),
        _("count"),
        IG_USER,
        "media_count",
        EMPTY,
    ),
    "connected_at_utc": Column(TIME, _("When the organization connected the account."), endpoint=DERIVED),
    "backfill_started_at_utc": Column(
        TIME, _("When the first collection of its history started."), endpoint=DERIVED, missing=EMPTY
    ),
    "backfill_finished_at_utc": Column(
        TIME, _("When the first collection of its history finished."), endpoint=DERIVED, missing=EMPTY
    ),
    "last_collected_at_utc": Column(
        TIME, _("When the account's data was last collected before the release."), endpoint=DERIVED, missing=EMPTY
    ),
    "media_id": Column(
        STRING, _("Meta's id of the post, reel or story."), "", f"{IG}: {IG_MEDIA}; {FB}: {FB_POSTS}", "id"
    ),
    "media.posted_at_utc": Column(TIME, _("When the media was published."), "", IG_MEDIA, "timestamp"),
    "media_kind": Column(
        STRING,
        _("image, carousel, reel or story: Meta's media type and product type folded together, as on the pages."),
        endpoint=DERIVED,
    ),
    "media_type": Column(
        STRING, _("Meta's media type: IMAGE, VIDEO or CAROUSEL_ALBUM."), "", IG_MEDIA, "media_type", EMPTY
    ),
    "product_type": Column(
        STRING, _("Meta's product type: FEED, REELS, STORY or AD."), "", IG_MEDIA, "media_product_type"
    ),
    "caption": Column(STRING, _("The caption; @mentions of people are pseudonymized."), "", IG_MEDIA, "caption", EMPTY),
    "permalink": Column(STRING, _("The public URL of the media."), "", IG_MEDIA, "permalink", EMPTY),
    "media.deleted": Column(BOOL, _("The media was deleted on Meta after it was collected."), endpoint=DERIVED),
    "like_count": count(
        _("Likes (reactions on a Facebook Page post)."),
        f"{IG}: {IG_MEDIA}; {FB}: {FB_POSTS}",
        "like_count; reactions.summary",
    ),
    "comments_count": count(_("Comments, replies included."), IG_MEDIA, "comments_count"),
    "reach": count(
        _("Unique accounts that saw the media (lifetime)."),
        f"{IG}: {IG_INSIGHTS}; {FB}: {FB_POSTS}",
        "reach; post_total_media_view_unique",
        _("accounts"),
    ),
    "views": count(
        _("Times the media was seen or played, repeats included (lifetime)."),
        f"{IG}: {IG_INSIGHTS}; {FB}: {FB_POSTS}",
        "views; post_media_view",
    ),
    "saved": count(_("Times the media was saved."), IG_INSIGHTS, "saved"),
    "shares": count(_("Times the media was shared."), IG_INSIGHTS, "shares"),
    "total_interactions": count(
        _("Meta's total interactions: likes, comments, saves and shares, minus undone ones."),
        IG_INSIGHTS,
        "total_interactions",
    ),
    "reposts": count(_("Times the media was reposted."), IG_INSIGHTS, "reposts"),
    "follows": count(_("Accounts that followed after seeing the media."), IG_INSIGHTS, "follows", _("accounts")),
    "profile_visits": count(_("Profile visits from the media."), IG_INSIGHTS, "profile_visits"),
    "ig_reels_avg_watch_time": count(
        _("Average time a reel was watched."), IG_INSIGHTS, "ig_reels_avg_watch_time", _("milliseconds")
    ),
    "ig_reels_video_view_total_time": count(
        _("Total time a reel was watched, replays included."),
        IG_INSIGHTS,
        "ig_reels_video_view_total_time",
        _("milliseconds"),
    ),
    "replies": count(_("Replies to a story."), f"{IG_INSIGHTS}; webhook field story_insights", "replies"),
    "navigation": count(
        _("Story navigation actions (taps forward and back, exits, swipes)."),
        f"{IG_INSIGHTS}; webhook field story_insights",
        "navigation",
    ),
    "interactions": Column(
        INT,
        metric("interactions"),
        _("count"),
        DERIVED,
        "total_interactions, else like_count + comments_count + saved + shares",
        EMPTY,
        reason=True,
    ),
    "er_reach": Column(
        FLOAT, metric("er_reach"), _("percent"), DERIVED, "interactions / reach * 100", EMPTY, reason=True
    ),
    "insights_updated_at_utc": Column(
        TIME, _("When the media's metrics were last read from Meta."), endpoint=DERIVED, missing=EMPTY
    ),
    "comment_id": Column(
        STRING, _("Meta's id of the comment (it names the comment, not its author)."), "", IG_COMMENTS, "id"
    ),
    "parent_id": Column(
        STRING,
        _("comment_id of the comment this one replies to."),
        "",
        IG_COMMENTS,
        "parent_id",
        _("empty for a top-level comment"),
    ),
    "author": Column(
        STRING, PSEUDONYM, "", IG_COMMENTS, "from.id (pseudonymized)", _("empty when Meta gave no author")
    ),
    "author_is_account": Column(
        BOOL, _("The comment was written by the account itself (its replies)."), endpoint=DERIVED
    ),
    "text": Column(
        STRING,
        _("The comment's text; @mentions and usernames of people are replaced by their pseudonyms."),
        "",
        IG_COMMENTS,
        "text",
        EMPTY,
    ),
    "comments.posted_at_utc": Column(TIME, _("When the comment was written."), "", IG_COMMENTS, "timestamp"),
    "comments.like_count": Column(INT, _("Likes on the comment."), _("count"), IG_COMMENTS, "like_count", EMPTY),
    "hidden": Column(BOOL, _("The comment is hidden on Instagram."), "", IG_COMMENTS, "hidden"),
    "comments.deleted": Column(BOOL, _("The comment was deleted after it was collected."), endpoint=DERIVED),
    "source": Column(STRING, _("How it was collected: poll, webhook or backfill."), endpoint=DERIVED),
    "date": Column(DATE, _("The day of the row (UTC), when the account's counters were read."), endpoint=DERIVED),
    "insights_day": Column(
        DATE, _("The UTC day the account insights of the row count (Instagram: the day before date)."), endpoint=DERIVED
    ),
    "account_daily.followers_count": Column(
        INT,
        _("Followers on that day."),
        _("accounts"),
        f"{IG}: {IG_USER}; {FB}: {FB_DAILY}",
        "followers_count; page_follows",
        EMPTY,
        reason=True,
    ),
    "followers_estimated": Column(
        BOOL,
        _("The followers of a day before connecting, worked back from Meta's daily new followers (unfollows unknown)."),
        "",
        f"{IG}: GET /{{ig-user-id}}/insights metric=follower_count",
        "follower_count",
    ),
    "account_daily.follows_count": Column(
        INT, _("Accounts followed on that day."), _("accounts"), IG_USER, "follows_count", EMPTY, reason=True
    ),
    "account_daily.media_count": Column(
        INT, _("Media on that day."), _("count"), IG_USER, "media_count", EMPTY, reason=True
    ),
    "account_reach": count(
        metric("account_reach"),
        f"{IG}: {IG_ACCOUNT}; {FB}: {FB_DAILY}",
        "reach; page_total_media_view_unique",
        _("accounts"),
    ),
    "account_views": count(metric("account_views"), f"{IG}: {IG_ACCOUNT}; {FB}: {FB_DAILY}", "views; page_media_view"),
    "accounts_engaged": count(metric("accounts_engaged"), IG_ACCOUNT, "accounts_engaged", _("accounts")),
    "account_interactions": count(
        _("Interactions with any of the account's content that day."),
        f"{IG}: {IG_ACCOUNT}; {FB}: {FB_DAILY}",
        "total_interactions; page_post_engagements",
    ),
    "new_followers": count(
        _("Accounts that started following that day."),
        f"{IG}: {IG_ACCOUNT} metric=follows_and_unfollows; {FB}: {FB_DAILY}",
        "follows; page_daily_follows_unique",
        _("accounts"),
    ),
    "unfollows": count(
        _("Accounts that stopped following that day."),
        f"{IG}: {IG_ACCOUNT} metric=follows_and_unfollows; {FB}: {FB_DAILY}",
        "unfollows; page_daily_unfollows_unique",
        _("accounts"),
    ),
    "codebook.file": Column(STRING, _("The table the column belongs to: data/<file>.csv and data/<file>.parquet.")),
    "codebook.column": Column(STRING, _("The column's name, as in the header of the file.")),
    "codebook.type": Column(STRING, _("string, int64, float64, boolean, date or timestamp (UTC).")),
    "codebook.unit": Column(STRING, _("What a number counts, or the unit of a time."), missing=EMPTY),
    "codebook.definition": Column(STRING, _("What the column holds.")),
    "codebook.source_endpoint": Column(
        STRING, _("The Meta Graph API endpoint or webhook it comes from, or derived."), missing=EMPTY
    ),
    "codebook.source_field": Column(
        STRING, _("The field or metric of that endpoint, or how it is derived."), missing=EMPTY
    ),
    "codebook.missing_values": Column(STRING, _("How a missing value is coded in the column.")),
    **account_columns.COLUMNS,
}


def column(table: str, name: str) -> Column:
    """The codebook entry of a column of a table (its own meaning first, else the shared one)."""
    if name.endswith("_missing"):
        base = column(table, name.removesuffix("_missing"))
        if base.reason:
            return reason_column(name.removesuffix("_missing"))
    found = COLUMNS.get(f"{table}.{name}") or COLUMNS.get(name)
    if found is None:
        raise UndocumentedColumn(f"column {name!r} of table {table!r} has no codebook entry (releases/columns.py)")
    return found


def with_reasons(table: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The table's columns, each `reason` column followed by its `<name>_missing`."""
    out: list[str] = []
    for name in names:
        out.append(name)
        if column(table, name).reason:
            out.append(f"{name}_missing")
    return tuple(out)
