"""Single-line mutations of critical code, each run against the tests that should catch it.

`make mutants` (or `python scripts/mutate.py [NAME ...]`) applies each mutation in turn (a text
replacement in one file), runs its tests with `pytest -x`, restores the file whatever happens, and
reports killed (a test failed) or SURVIVED. Any survivor makes the exit status 1. The database and
Redis come from the environment as for any test run (TEST_DATABASE_URL, TEST_REDIS_URL).

While it runs, a mutant is in the work tree: edit nothing and commit nothing until it ends.

`old` must occur exactly once in its file; where the mutated line repeats, `old` carries the line
above it as an anchor, and `new` changes only the mutated line.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MATRIX = "tests/test_access_matrix.py"
ROLES = f"{MATRIX}::test_it_answers_each_role_as_the_matrix_says"
CROSS = f"{MATRIX}::test_it_hides_another_organisations_object_even_inside_our_own_urls"


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = [
    # -- the nine that survived in issue #12 -------------------------------------------------------
    Mutation(
        "comment looked up without its profile",
        "insights/views.py",
        'get_object_or_404(profile.comments.select_related("profile"), pk=comment_pk)',
        'get_object_or_404(profile.comments.model.objects.select_related("profile"), pk=comment_pk)',
        (CROSS, "-k", "comment_pk"),
    ),
    Mutation(
        "conversation to reply to looked up without its profile",
        "insights/message_views.py",
        "    profile = acting_profile(request, pk)\n    conversation = get_object_or_404(profile.conversations,",
        "    profile = acting_profile(request, pk)\n"
        "    conversation = get_object_or_404(profile.conversations.model.objects,",
        (CROSS, "-k", "message_reply and conversation_pk"),
    ),
    Mutation(
        "page_id accepted when any dealer linked the Page",
        "publishing/serializers.py",
        "linked = self.dealer.profiles.filter(",
        "linked = self.dealer.profiles.model.objects.filter(",
        ("tests/publishing/test_story_page_tenancy.py",),
    ),
    Mutation(
        "role check removed from comment_delete",
        "insights/views.py",
        "def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:\n"
        "    profile = acting_profile(request, pk)",
        "def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:\n"
        "    profile = reading_profile(request, pk)",
        (ROLES, "-k", "comment_delete and viewer"),
    ),
    Mutation(
        "role check removed from message_reply",
        "insights/message_views.py",
        "def message_reply(request: HttpRequest, pk: int, conversation_pk: int) -> HttpResponse:\n"
        "    profile = acting_profile(request, pk)",
        "def message_reply(request: HttpRequest, pk: int, conversation_pk: int) -> HttpResponse:\n"
        "    profile = reading_profile(request, pk)",
        (ROLES, "-k", "message_reply and viewer"),
    ),
    Mutation(
        "Instagram refresh window 10 days -> 60",
        "accounts/lifecycle.py",
        "REFRESH_WINDOW = timedelta(days=10)",
        "REFRESH_WINDOW = timedelta(days=60)",
        ("tests/accounts/test_token_lifecycle.py", "-k", "instagram_token"),
    ),
    Mutation(
        "a rate-limit error no longer pauses the account for other workers",
        "meta/ratelimit.py",
        "if app_full or isinstance(error, RateLimited) or",
        "if app_full or False or",
        ("tests/foundation/test_rate_governor.py",),
    ),
    Mutation(
        "the story claim ignores an existing lease",
        "publishing/models.py",
        "Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE),",
        "Q(),",
        ("tests/publishing/test_story_claim.py",),
    ),
    Mutation(
        "the story claim no longer requires status QUEUED",
        "publishing/models.py",
        "            status=StoryStatus.QUEUED,\n        ).update(claimed_at=now)",
        "            status__isnull=False,\n        ).update(claimed_at=now)",
        ("tests/publishing/test_story_claim.py",),
    ),
    # -- the code this change wrote ----------------------------------------------------------------
    Mutation(
        "readable drops the organisation filter",
        "accounts/access.py",
        "get_object_or_404(objects.filter(organization__memberships__user=user), pk=pk)",
        "get_object_or_404(objects, pk=pk)",
        (CROSS, "-k", "profile and pk"),
    ),
    Mutation(
        "a role that may not act is let through",
        "accounts/access.py",
        "    if not may(member):",
        "    if False:",
        (ROLES, "-k", "viewer or analyst"),
    ),
    Mutation(
        "the last owner may step down",
        "accounts/models.py",
        "return self.role == Role.OWNER and not others.exists()",
        "return False",
        ("tests/accounts/test_organizations.py", "-k", "last_owner"),
    ),
    Mutation(
        "X-App-Usage above 95 % alone never pauses",
        "meta/ratelimit.py",
        "app_full = (app_percent or 0) > PAUSE_AT or",
        "app_full = False or",
        ("tests/foundation/test_rate_governor.py",),
    ),
    Mutation(
        "DRF lets a view with no permission classes answer anyone",
        "socialdatalab/settings.py",
        '"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],',
        '"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],',
        ("tests/publishing/test_api_deny_by_default.py",),
    ),
    Mutation(
        "a comment action refused for a missing permission leaves the credential collecting",
        "insights/tasks.py",
        "    except (TokenInvalid, PermissionMissing) as exc:\n        handle_token_error(credential, exc)\n"
        "        action.refused(exc)",
        "    except TokenInvalid as exc:\n        handle_token_error(credential, exc)\n        action.refused(exc)",
        ("tests/insights/test_token_outcome.py",),
    ),
    Mutation(
        "two workers may collect one profile at once",
        "collector/runs.py",
        "    if not lock.acquire(blocking=False, token=token):",
        "    if not (lock.acquire(blocking=False, token=token) or True):",
        ("tests/collector/test_locking.py",),
    ),
    # -- the code issue #12's refactor moved (meta/, publishing's queueing) -------------------------
    Mutation(
        "unhiding a comment asks Meta to hide it",
        "meta/moderation.py",
        'data={"hide": "true" if hidden else "false"}',
        'data={"hide": "true"}',
        ("tests/insights/test_comment_moderation.py", "-k", "hide_unhide"),
    ),
    Mutation(
        "a story's client is not told how publishing ended",
        "publishing/tasks.py",
        "    outcome = _publish(self, story)\n    announce(story)\n",
        "    outcome = _publish(self, story)\n",
        ("tests/publishing/test_story_callbacks.py", "-k", "published_story or failed_story"),
    ),
]


def run(mutation: Mutation) -> str:
    path = ROOT / mutation.path
    original = path.read_text()
    if original.count(mutation.old) != 1:
        return f"STALE ({mutation.old!r} occurs {original.count(mutation.old)} times in {mutation.path})"
    try:
        path.write_text(original.replace(mutation.old, mutation.new))
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "--reuse-db"]
        result = subprocess.run([*command, *mutation.tests], cwd=ROOT, capture_output=True, text=True)
    finally:
        path.write_text(original)
    # 1: a test failed. 2-5 (collection error, no tests) prove nothing about the tests.
    return {0: "SURVIVED", 1: "killed"}.get(result.returncode, f"ERROR (pytest exit {result.returncode})")


def main(names: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not names or any(name in m.name for name in names)]
    outcomes = []
    for mutation in chosen:
        outcome = run(mutation)
        outcomes.append(outcome)
        print(f"{outcome:<10} {mutation.path}: {mutation.name}", flush=True)
    killed = outcomes.count("killed")
    print(f"{killed} of {len(outcomes)} killed")
    return 0 if killed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
