"""The App Review kit: every permission the app asks for, why, the clicks that show it in use, the
screen it is used on, its screencast (`make review-videos`) and the test that proves it works.

The list is built from settings.META_INSTAGRAM_SCOPES and META_FACEBOOK_SCOPES, so a scope added
to a login without an explanation here shows up on /review/ as "not explained yet" instead of
silently going to review undocumented (and tests/review/test_review_table.py fails).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONNECT_INSTAGRAM = _("On the home page, click “Continue with Instagram” and approve the requested permissions.")
CONNECT_FACEBOOK = _(
    "On the home page, click “Continue with Facebook”, choose the Page linked to the Instagram account and "
    "approve the requested permissions."
)
OPEN_PROFILE = _("On the dashboard, click the account's username.")


@dataclass(frozen=True)
class Use:
    why: str | Promise
    steps: tuple[str | Promise, ...]
    screen: str  # the page where it is seen, <id> standing for a connected account's id
    test: str  # the test that exercises it against the sandbox


BASIC = Use(
    _(
        "Shows the connected account's profile (picture, username, name, biography, website, followers, follows, "
        "media count, account type) and lists its posts, so researchers see which account the numbers belong to."
    ),
    (OPEN_PROFILE, _("The Profile tab shows the account's details and its follower growth chart.")),
    "/profiles/<id>/",
    "tests/review/test_review_walkthrough.py",
)
INSIGHTS = Use(
    _(
        "Reads the account's and its posts' insights (reach, views, interactions, saves, shares, accounts engaged, "
        "follower gains) to compute engagement rates, compare periods and find the best time to post."
    ),
    (
        OPEN_PROFILE,
        _("Open the Engagement tab: engagement rates with their formulas, charts, top posts, heatmap and stories."),
        _("Change the period (7, 30, 90 days or custom) to compare against the previous period."),
    ),
    "/profiles/<id>/engagement/",
    "tests/review/test_review_walkthrough.py",
)
PAGE_INSIGHTS = Use(
    _(
        "Reads the Facebook Page's daily insights (views, viewers, post engagements, follows and unfollows) and its "
        "posts' views and reach, so the Page's engagement is measured like the Instagram account's."
    ),
    (
        _("On the dashboard, click the Facebook Page's name."),
        _("Open the Engagement tab: the Page insights and the Page's posts with their views, reach and reactions."),
    ),
    "/profiles/<id>/engagement/",
    "tests/collector/test_page_profiles.py",
)
COMMENTS = Use(
    _(
        "Reads comments on the account's posts and lets the account's team reply to, hide, unhide and delete "
        "them from one place; new comments arrive in real time through webhooks."
    ),
    (
        OPEN_PROFILE,
        _("Open the Comments tab and choose a comment."),
        _("Type a reply and click “Reply”: the reply shows as pending, then done, and appears on Instagram."),
        _("Click “Hide” (then “Unhide”), or “Delete” and confirm."),
    ),
    "/profiles/<id>/comments/",
    "tests/review/test_review_walkthrough.py",
)
MESSAGES = Use(
    _(
        "Shows the direct-message conversations people start with the account (with their username and profile "
        "picture) and lets its team answer them: as a normal response within 24 hours of the person's last message, "
        "and, from 24 hours to 7 days, only by a team member typing and clicking Send, sent with Meta's Human Agent "
        "tag (HUMAN_AGENT). Nothing automated ever sends a message, and after 7 days the reply box is closed."
    ),
    (
        OPEN_PROFILE,
        _("Open the Messages tab and choose a conversation."),
        _(
            "Above the reply box the page says which window applies (standard, Human Agent or closed) and counts "
            "down to its end; type a reply and click “Send” (“Send as Human Agent” between 24 hours and 7 days)."
        ),
    ),
    "/profiles/<id>/messages/",
    "tests/review/test_review_walkthrough.py",
)
PUBLISH = Use(
    _(
        "Publishes stories that the account's stores queue through the Story API, at the time they chose, and "
        "reports whether each one was published."
    ),
    (
        _("A store sends a story to the Story API (documented at /api/docs/) with its client credentials."),
        _("The story is published to the account and its state is returned by the API."),
    ),
    "/api/docs/",
    "tests/publishing/test_publishing_worker.py",
)
PAGES_LIST = Use(
    _("Lists the Facebook Pages the person manages so they can choose which Page's Instagram account to connect."),
    (CONNECT_FACEBOOK,),
    "/accounts/connected/",
    "tests/accounts/test_connect_service.py",
)
PAGES_ENGAGEMENT = Use(
    _("Reads the Page's basic details and engagement, needed to reach the Instagram account linked to the Page."),
    (CONNECT_FACEBOOK, OPEN_PROFILE),
    "/profiles/<id>/",
    "tests/collector/test_page_profiles.py",
)
PAGES_METADATA = Use(
    _("Subscribes the Page to webhooks so new comments, mentions and messages arrive in real time."),
    (CONNECT_FACEBOOK, _("Open the Comments tab: new comments appear without reloading the page.")),
    "/profiles/<id>/comments/",
    "tests/webhooks/test_live_comments.py",
)
PAGES_POSTS = Use(
    _("Publishes the stores' queued stories to their Facebook Page."),
    PUBLISH.steps,
    PUBLISH.screen,
    PUBLISH.test,
)

USES: dict[str, Use] = {
    "instagram_business_basic": BASIC,
    "instagram_basic": BASIC,
    "instagram_business_manage_insights": INSIGHTS,
    "instagram_manage_insights": INSIGHTS,
    "instagram_business_manage_comments": COMMENTS,
    "instagram_manage_comments": COMMENTS,
    "instagram_business_manage_messages": MESSAGES,
    "instagram_manage_messages": MESSAGES,
    "instagram_content_publish": PUBLISH,
    "pages_show_list": PAGES_LIST,
    "pages_read_engagement": PAGES_ENGAGEMENT,
    "read_insights": PAGE_INSIGHTS,
    "pages_manage_metadata": PAGES_METADATA,
    "pages_manage_posts": PAGES_POSTS,
}

# Requested by no default login, because no screen uses them (an override in META_*_SCOPES would show
# them on /review/ as "not explained yet").
DROPPED: dict[str, str | Promise] = {
    "business_management": _(
        "Not requested: the app lists the Pages the person manages (pages_show_list) and never reads a "
        "business portfolio's own Pages or accounts, so no screen would show it in use."
    ),
    "instagram_business_content_publish": _(
        "Not requested by Instagram Login: stories are published only to an Instagram account linked to a "
        "Facebook Page, through that Page (Facebook Login's instagram_content_publish and pages_manage_posts), "
        "so no screen would show it in use for an account connected with Instagram Login."
    ),
}

# Not an OAuth scope but an App Review feature of instagram_manage_messages: its own screencast.
HUMAN_AGENT = Use(
    _(
        "Lets a person of the account's team answer a message between 24 hours and 7 days after the other "
        "person's last message, only by typing and clicking “Send” on the messages page (sent with the "
        "HUMAN_AGENT tag). Nothing automated ever uses the tag; after 7 days the reply box is closed."
    ),
    (
        OPEN_PROFILE,
        _("Open the Messages tab and choose a conversation whose last message is more than 24 hours old."),
        _("Above the reply box: “Human agent window” with the time left; type a reply and click “Send”."),
    ),
    "/profiles/<id>/messages/<conversation>/",
    "tests/review/test_review_videos.py",
)


VIDEOS_DIR = "docs/review-videos"


@dataclass(frozen=True)
class Permission:
    scope: str
    login: str | Promise
    use: Use | None

    @property
    def video(self) -> str:
        """Written by `make review-videos` (tests/review/test_review_videos.py), one per permission."""
        return f"{VIDEOS_DIR}/{self.scope}.webm"


def permissions() -> list[Permission]:
    """Every default scope of both logins, then the Human Agent feature."""
    instagram = [Permission(scope, _("Instagram Login"), USES.get(scope)) for scope in settings.META_INSTAGRAM_SCOPES]
    facebook = [Permission(scope, _("Facebook Login"), USES.get(scope)) for scope in settings.META_FACEBOOK_SCOPES]
    return [*instagram, *facebook, Permission("human_agent", _("Feature"), HUMAN_AGENT)]


def dropped() -> dict[str, str | Promise]:
    """The scopes left out of the defaults and why, unless an override asks for them again."""
    requested = {*settings.META_INSTAGRAM_SCOPES, *settings.META_FACEBOOK_SCOPES}
    return {scope: why for scope, why in DROPPED.items() if scope not in requested}
