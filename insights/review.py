"""The App Review kit: every permission the app asks for, why, and the clicks that show it in use.

The list is built from settings.META_INSTAGRAM_SCOPES and META_FACEBOOK_SCOPES, so a scope added
to a login without an explanation here shows up on /review/ as "not explained yet" instead of
silently going to review undocumented.
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


BASIC = Use(
    _(
        "Shows the connected account's profile (picture, username, name, biography, website, followers, follows, "
        "media count, account type) and lists its posts, so researchers see which account the numbers belong to."
    ),
    (OPEN_PROFILE, _("The Profile tab shows the account's details and its follower growth chart.")),
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
)
PAGES_LIST = Use(
    _("Lists the Facebook Pages the person manages so they can choose which Page's Instagram account to connect."),
    (CONNECT_FACEBOOK,),
)
PAGES_ENGAGEMENT = Use(
    _("Reads the Page's basic details and engagement, needed to reach the Instagram account linked to the Page."),
    (CONNECT_FACEBOOK, OPEN_PROFILE),
)
PAGES_METADATA = Use(
    _("Subscribes the Page to webhooks so new comments, mentions and messages arrive in real time."),
    (CONNECT_FACEBOOK, _("Open the Comments tab: new comments appear without reloading the page.")),
)
PAGES_POSTS = Use(
    _("Publishes the stores' queued stories to their Facebook Page."),
    PUBLISH.steps,
)
BUSINESS = Use(
    _("Finds Pages and Instagram accounts owned by the person's business portfolio rather than by them directly."),
    (CONNECT_FACEBOOK,),
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
    "instagram_business_content_publish": PUBLISH,
    "instagram_content_publish": PUBLISH,
    "pages_show_list": PAGES_LIST,
    "pages_read_engagement": PAGES_ENGAGEMENT,
    "read_insights": PAGE_INSIGHTS,
    "pages_manage_metadata": PAGES_METADATA,
    "pages_manage_posts": PAGES_POSTS,
    "business_management": BUSINESS,
}


@dataclass(frozen=True)
class Permission:
    scope: str
    login: str | Promise
    use: Use | None


def permissions() -> list[Permission]:
    instagram = [Permission(scope, _("Instagram Login"), USES.get(scope)) for scope in settings.META_INSTAGRAM_SCOPES]
    facebook = [Permission(scope, _("Facebook Login"), USES.get(scope)) for scope in settings.META_FACEBOOK_SCOPES]
    return instagram + facebook
