"""Route each change of a delivery to the handler of its field (the zulip pattern).

`HANDLERS` maps a webhook field to the one function that knows what it means; tests send one
fixture per field through it. A field without a handler is reported, never an error. Items
in `standby[]` go to the handler of their field and are counted as `standby/<field>`; the app
dashboard's "Test" deliveries (entry id "0", which no account has) are counted as tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collector.models import Platform, Profile
from webhooks.changes import Batch, Change, Lookups, split
from webhooks.handlers import comments, feed, mentions, messages, story_insights

Handler = Callable[[Change, Profile, Batch], None]

PLATFORM_BY_OBJECT = {"instagram": Platform.INSTAGRAM, "page": Platform.FACEBOOK_PAGE}

# The app dashboard's "Test" button sends its sample under this entry id.
TEST_ENTRY_ID = "0"

HANDLERS: dict[str, Handler] = {
    "comments": comments.handle,
    "live_comments": comments.handle,
    "mentions": mentions.handle,
    "story_insights": story_insights.handle,
    "feed": feed.handle,
    "messages": messages.handle_message,
    "message_reactions": messages.handle_reaction,
    "messaging_seen": messages.handle_read,
    "message_edit": messages.handle_edit,
}


def dispatch(payload: dict[str, Any], lookups: Lookups | None = None) -> tuple[Batch, Profile | None]:
    """Run every change of a delivery through its handler, once per profile it concerns.

    Two organizations may connect the same account, so an entry id can name several profiles;
    each keeps its own copy of the facts. `lookups` shares the rows read with the other
    deliveries processed in the same transaction.
    """
    batch = Batch(lookups=lookups or Lookups())
    profiles_by_entry = batch.lookups.profiles
    first_profile: Profile | None = None
    for change in split(payload):
        if change.entry_id == TEST_ENTRY_ID:
            batch.tests += 1
            continue
        key = (change.object, change.entry_id)
        if key not in profiles_by_entry:
            profiles_by_entry[key] = list(
                Profile.objects.select_related("credential").filter(
                    platform=PLATFORM_BY_OBJECT.get(change.object, ""), meta_id=change.entry_id
                )
            )
        profiles = profiles_by_entry[key]
        first_profile = first_profile or next(iter(profiles), None)
        handler = HANDLERS.get(change.field)
        if handler is None:
            batch.unhandled[change.counted_as] = batch.unhandled.get(change.counted_as, 0) + 1
            continue
        if not profiles:
            batch.ignore(f"no profile for {change.object} {change.entry_id}")
            continue
        for profile in profiles:
            handler(change, profile, batch)
            batch.touched.add(profile.pk)
        batch.handled[change.counted_as] = batch.handled.get(change.counted_as, 0) + 1
    return batch, first_profile
