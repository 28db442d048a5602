"""What each Meta permission is for here, in the words people read when they did not grant one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECLINED_SESSION_KEY = "accounts:declined-permissions"
COMMENTS = _("reading, replying to, hiding and deleting comments")
INSIGHTS = _("reach, views and account insights on Engagement and Compare")
PUBLISHING = _("publishing stories through the Story API")
MESSAGES = _("reading and answering direct messages")

PURPOSES = {
    "instagram_business_basic": _("the profile and its posts: nothing can be collected without it"),
    "instagram_business_manage_insights": INSIGHTS,
    "instagram_business_manage_comments": COMMENTS,
    "instagram_business_content_publish": PUBLISHING,
    "instagram_business_manage_messages": MESSAGES,
    "pages_show_list": _("finding your Facebook Pages: nothing can be connected without it"),
    "pages_read_engagement": _("the Page's posts, comments and followers"),
    "pages_manage_metadata": _("real-time updates from the Page (webhooks)"),
    "pages_manage_posts": _("publishing stories to the Page"),
    "business_management": _("Pages your organization manages in a Business Manager"),
    "instagram_basic": _("the Instagram account linked to the Page and its posts"),
    "instagram_manage_insights": INSIGHTS,
    "instagram_manage_comments": COMMENTS,
    "instagram_content_publish": PUBLISHING,
    "instagram_manage_messages": MESSAGES,
}


def described(scopes: list[str]) -> list[tuple[str, str]]:
    """(permission, what stops working without it), for each declined permission."""
    return [(scope, str(PURPOSES.get(scope, _("a part of SocialDataLab")))) for scope in scopes]


class PermissionsDeclined(Exception):
    """The person unticked a permission without which nothing can be connected."""

    def __init__(self, scopes: list[str]) -> None:
        super().__init__(f"declined: {', '.join(scopes)}")
        self.scopes = scopes


def declined(required: list[str], granted: list[str]) -> list[str]:
    """The required permissions not granted (none when Meta did not say what it granted)."""
    return [scope for scope in required if scope not in granted] if granted else []
