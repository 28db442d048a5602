"""Who may open and post to every page that names an object: one matrix, learnt from the URLconf.

Every URL of ours with a parameter is either in MATRIX (who may GET it, who may POST to it, what
a member below that role gets) or in ELSEWHERE with the test that covers it, so a new page
without an entry fails `test_it_knows_every_object_url_of_the_site`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Membership, Role
from collector.models import Comment, Media
from discovery.models import TrackedAccount
from releases.models import Release, ReleaseStatus
from storyvault.models import StoryKeep
from tests.insights.builders import Account, account
from tests.vault.builders import kept_story
from webhooks.models import Conversation

pytestmark = pytest.mark.django_db

OUR_APPS = {
    "accounts",
    "collector",
    "discovery",
    "insights",
    "webhooks",
    "storyvault",
    "publishing",
    "releases",
    "socialdatalab",
}
OUTSIDER = "outsider"
LADDER = [OUTSIDER, Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.OWNER]
# One body for every POST: each view reads the fields it knows (a hide, a kept-data disconnect, a role).
POST_BODY = {"kind": "hide", "text": "Obrigado!", "data": "keep", "role": Role.VIEWER}


@dataclass(frozen=True)
class Rule:
    """The lowest role that may GET / POST (None: the method is not allowed, 405 for everyone)."""

    get: str | None
    post: str | None
    refused: int = 404  # what a member below the role gets (an outsider always gets 404)
    get_ok: int = 200
    post_ok: int = 302


READ = Rule(get=Role.VIEWER, post=Role.VIEWER, post_ok=200)  # a page that only shows: POST shows it too
READ_ONLY = Rule(get=Role.VIEWER, post=None)  # @require_GET
MATRIX: dict[str, Rule] = {
    "profile": READ,
    "engagement": READ,
    "comments": READ,
    "export": READ,
    "profile_posts": READ_ONLY,
    "messages": READ,
    "stories": READ,
    "story_file": READ_ONLY,
    "conversation": READ,
    "comment_action_states": READ_ONLY,
    "collector:backfill_progress": READ_ONLY,
    "webhooks:live_comments": READ_ONLY,
    "comment_action": Rule(get=None, post=Role.ANALYST),
    "comment_delete": Rule(get=Role.ANALYST, post=Role.ANALYST),
    "message_reply": Rule(get=None, post=Role.ANALYST),
    "accounts:organization": Rule(get=Role.VIEWER, post=Role.VIEWER, post_ok=200),
    "accounts:disconnect": Rule(get=Role.ADMIN, post=Role.ADMIN, refused=403),
    "accounts:create_invite": Rule(get=None, post=Role.ADMIN, refused=403),
    "accounts:change_role": Rule(get=None, post=Role.ADMIN, refused=403),
    "quick_reply_save": Rule(get=None, post=Role.ANALYST),
    "audit_trail": Rule(get=Role.ADMIN, post=Role.ADMIN, post_ok=200),
    "accounts:change_retention": Rule(get=None, post=Role.ADMIN, refused=403),
    # Everyone reads and downloads releases; analysts and above create them (POST_BODY is no valid release: 200).
    "releases:list": Rule(get=Role.VIEWER, post=Role.ANALYST, refused=403, post_ok=200),
    "releases:detail": READ_ONLY,
    "releases:progress": READ_ONLY,
    "releases:download": READ_ONLY,
    "discovery:panel": Rule(get=Role.VIEWER, post=Role.ANALYST, refused=403),
    "discovery:panel_remove": Rule(get=None, post=Role.ANALYST, refused=403),
    "discovery:about_us": READ,
    "discovery:about_us_export": READ_ONLY,
}
ELSEWHERE = {
    "accounts:invite": "public by design: the code is the secret (tests/accounts/test_organizations.py)",
    "accounts:data_deletion_status": "public by design: Meta's code (tests/accounts/test_meta_callbacks.py)",
    "publishing:facebook-stories": "Story API, client tokens per dealer (tests/publishing/test_story_auth.py)",
    "publishing:facebook-story": "Story API, client tokens per dealer (tests/publishing/test_story_auth.py)",
    "publishing:instagram-stories": "Story API, client tokens per dealer (tests/publishing/test_story_auth.py)",
    "publishing:instagram-story": "Story API, client tokens per dealer (tests/publishing/test_story_auth.py)",
    "publishing:facebook-story-insights": "Story API, per dealer (tests/publishing/test_story_results.py)",
    "publishing:instagram-story-insights": "Story API, per dealer (tests/publishing/test_story_results.py)",
    "review_record": "review mode, a scope and no object (tests/review/test_review_pages_browser.py)",
    "quick_reply_delete": "the reply's organisation and the role (tests/insights/test_inbox.py)",
    "publishing:api-access": "owners and admins only (tests/publishing/test_api_access_page.py)",
    "publishing:api-client-rotate": "owners and admins only (tests/publishing/test_api_access_page.py)",
    "publishing:api-client-update": "owners and admins only (tests/publishing/test_api_access_page.py)",
}


def object_urls() -> dict[str, list[str]]:
    """Every named URL of our apps that takes a parameter, with its parameters' names."""
    found: dict[str, list[str]] = {}

    def walk(patterns: list[Any], namespace: str, params: list[str]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, params + list(entry.pattern.converters))
            elif isinstance(entry, URLPattern) and entry.name and entry.callback.__module__.split(".")[0] in OUR_APPS:
                if names := params + list(entry.pattern.converters):
                    found[namespace + entry.name] = names

    walk(get_resolver().url_patterns, "", [])
    return found


@dataclass
class World:
    """An organisation with one of everything a URL can name."""

    lab: Account
    comment: Comment
    conversation: Conversation
    colleague: Membership
    story: StoryKeep
    release: Release
    tracked: TrackedAccount

    def ids(self) -> dict[str, int]:
        profile = self.lab.profile
        return {
            "pk": profile.pk,
            "profile_id": profile.pk,
            "comment_pk": self.comment.pk,
            "conversation_pk": self.conversation.pk,
            "credential_id": profile.credential_id,
            "organization_id": self.lab.organization.pk,
            "membership_id": self.colleague.pk,
            "story_pk": self.story.pk,
            "release_pk": self.release.pk,
            "tracked_id": self.tracked.pk,
        }


def world(name: str) -> World:
    lab = account(name, role=Role.OWNER)
    media = Media.objects.create(profile=lab.profile, meta_id=f"18{name}", timestamp=timezone.now())
    comment = Comment.objects.create(
        profile=lab.profile, media=media, meta_id=f"17{name}", text="Quando sai o edital?", timestamp=timezone.now()
    )
    conversation = Conversation.objects.create(profile=lab.profile, participant_id=f"90{name}")
    colleague = get_user_model().objects.create_user(f"colleague-{name}")
    membership = Membership.objects.create(organization=lab.organization, user=colleague, role=Role.ANALYST)
    release = Release.objects.create_numbered(lab.organization, start=timezone.localdate(), end=timezone.localdate())
    release.file.save(f"matrix/{name}.zip", ContentFile(b"PK\x05\x06" + bytes(18)))  # an empty ZIP
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.READY)
    tracked = TrackedAccount.objects.create(organization=lab.organization, username=f"campus.{name}")
    return World(lab, comment, conversation, membership, kept_story(lab.profile, f"19{name}"), release, tracked)


@pytest.fixture(scope="module")
def worlds(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[World, World]]:
    """Both organisations, built once for the module's hundreds of cases: each case runs in a
    savepoint of this transaction (what it changes is undone), rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world("ifma.saoluis"), world("outra.loja")
        transaction.set_rollback(True)


@pytest.fixture
def ours(worlds: tuple[World, World]) -> World:
    return worlds[0]


@pytest.fixture
def theirs(worlds: tuple[World, World]) -> World:
    return worlds[1]


def person(client: Client, ours: World, theirs: World, role: str) -> Client:
    """Signed in as a member of our organisation with `role`, or as the other organisation's owner."""
    if role == Role.OWNER:
        user = ours.lab.user
    elif role == OUTSIDER:
        user = theirs.lab.user
    else:
        user = get_user_model().objects.create_user(f"a-{role}")
        Membership.objects.create(organization=ours.lab.organization, user=user, role=role)
    client.force_login(user)
    return client


def expected(rule: Rule, method: str, role: str) -> int:
    lowest, ok = (rule.get, rule.get_ok) if method == "get" else (rule.post, rule.post_ok)
    if lowest is None:
        return 405
    if role == OUTSIDER:
        return 404
    return ok if LADDER.index(role) >= LADDER.index(lowest) else rule.refused


def test_it_knows_every_object_url_of_the_site() -> None:
    unknown = set(object_urls()) - set(MATRIX) - set(ELSEWHERE)
    assert not unknown, f"add these URLs to MATRIX (who may GET/POST) or ELSEWHERE (with the test): {unknown}"
    assert not set(MATRIX) - set(object_urls()), "MATRIX names URLs that no longer exist"


@pytest.mark.parametrize("role", LADDER)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_answers_each_role_as_the_matrix_says(
    client: Client, ours: World, theirs: World, name: str, method: str, role: str
) -> None:
    ids = ours.ids()
    url = reverse(name, kwargs={param: ids[param] for param in object_urls()[name]})
    response = getattr(person(client, ours, theirs, role), method)(url, POST_BODY if method == "post" else None)
    assert response.status_code == expected(MATRIX[name], method, role)


def cross_cases() -> list[tuple[str, str]]:
    return [(name, param) for name in sorted(MATRIX) for param in object_urls()[name]]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "param"), cross_cases())
def test_it_hides_another_organisations_object_even_inside_our_own_urls(
    client: Client, ours: World, theirs: World, name: str, param: str, method: str
) -> None:
    """Our owner, with one id of the URL swapped for the other organisation's object: a 404, untouched."""
    ids = {**ours.ids(), param: theirs.ids()[param]}
    url = reverse(name, kwargs={key: ids[key] for key in object_urls()[name]})
    response = getattr(person(client, ours, theirs, Role.OWNER), method)(url, POST_BODY if method == "post" else None)

    allowed = MATRIX[name].get if method == "get" else MATRIX[name].post
    assert response.status_code == (405 if allowed is None else 404)
    theirs.comment.refresh_from_db()
    assert not theirs.comment.hidden and not theirs.comment.actions.exists()
    assert not theirs.conversation.replies.exists()
    assert list(theirs.lab.organization.releases.all()) == [theirs.release]
    assert Membership.objects.get(pk=theirs.colleague.pk).role == Role.ANALYST
