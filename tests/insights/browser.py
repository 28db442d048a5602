"""Browser helpers shared by the insights browser tests and `make review-screens`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

AXE = Path(__file__).resolve().parent / "assets" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), from npm
AXE_PATH = "/__test-assets__/axe.min.js"
BLOCKING = ("serious", "critical")


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Give the browser the session of a logged-in client: the login itself is tested elsewhere."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def serve_axe(page: Any, live_server: Any) -> None:
    """Serve axe-core from the page's own origin, so the CSP (script-src 'self') lets it run."""
    body = AXE.read_text(encoding="utf-8")
    page.route(
        f"{live_server.url}{AXE_PATH}",
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=body),
    )


def axe_violations(page: Any, live_server: Any) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations axe-core finds in the current page."""
    page.add_script_tag(url=f"{live_server.url}{AXE_PATH}")
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))
        }))"""
    )
    return [violation for violation in found if violation["impact"] in BLOCKING]


def csp_watch(page: Any) -> list[str]:
    """Collect console errors about the Content-Security-Policy while the test runs."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def scroll_width(page: Any) -> int:
    """How wide the page is laid out: wider than the window means the whole page scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


def every_page(lab: Any) -> list[tuple[str, str]]:
    """(name, path) of every page a signed-in person of `lab` reaches, with the data `lab_with_history` made."""
    pk = lab.profile.pk
    return [
        ("home", reverse("home")),
        ("dashboard", reverse("dashboard")),
        ("profile", reverse("profile", args=[pk])),
        ("engagement", reverse("engagement", args=[pk]) + "?period=90"),
        ("comments", reverse("comments", args=[pk])),
        ("messages", reverse("messages", args=[pk])),
        ("stories", reverse("stories", args=[pk])),
        ("conversation", reverse("conversation", args=[pk, lab.conversation.pk])),
        ("compare", reverse("compare")),
        ("analysis", reverse("analysis") + "?period=90&min=1"),
        ("posts", reverse("posts") + "?period=90"),
        ("profile-posts", reverse("profile_posts", args=[pk]) + "?period=90&sort=er_reach"),
        ("export", reverse("export", args=[pk])),
        ("what-others-post", reverse("discovery:about_us", args=[pk])),
        ("public-panel", reverse("discovery:panel", args=[lab.organization.pk])),
        ("connected-accounts", reverse("accounts:connected")),
        ("organization", reverse("accounts:organization", args=[lab.organization.pk])),
        ("metrics-help", reverse("metrics_help")),
        ("review", reverse("review_kit")),
        ("api-docs", reverse("api-docs")),
        ("releases", reverse("releases:list", args=[lab.organization.pk])),
        ("release", reverse("releases:detail", args=[lab.organization.pk, _release(lab).pk])),
    ]


def _release(lab: Any) -> Any:
    """The lab's dataset release, built on first use (in this process: no worker needed)."""
    from tests.releases.builders import ready_release

    return lab.organization.releases.first() or ready_release(lab.organization, [lab.profile])
