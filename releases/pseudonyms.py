"""People other than the account, as stable pseudonyms (LGPD; research ethics).

A commenter is named by the HMAC of their Meta id with the organization's secret
(insights.audit: the key its audit-trail export uses, stored encrypted). In free text (captions,
comments, biographies) an @mention and any bare word that is a known commenter's username become
the same pseudonym, and so does their Meta id written as a word; an @mention of someone never seen
commenting gets one from the username.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from accounts.models import Organization
from insights import audit

COMMENTER = "commenter"
# Instagram usernames: letters, digits, periods and underscores; Python's \\w also takes accents.
WORD = re.compile(r"(@?)([\w.]*\w)")
NAME = re.compile(r"[\w.]*\w")  # WORD's words, without the @


class Pseudonyms:
    def __init__(self, organization: Organization, people: Iterable[tuple[str, str]], accounts: Iterable[str]) -> None:
        """`people`: (Meta id, username) of everyone who commented; `accounts`: usernames and Meta
        ids of the organization's own profiles, which stay as they are."""
        self.secret = audit.organization_secret(organization)
        self.accounts = {name.lower() for name in accounts if name}
        self.ids: dict[str, str] = {}
        for meta_id, username in people:
            key = username.lower()
            if key in self.accounts or not meta_id or meta_id.lower() in self.accounts:
                continue
            if key:
                self.ids.setdefault(key, meta_id)
            # A person's Meta id written in free text (a caption, a gap's detail) is theirs too.
            self.ids.setdefault(meta_id.lower(), meta_id)

    def of(self, meta_id: str, username: str = "") -> str:
        """A commenter's pseudonym: from their Meta id, else (no id given) from their username."""
        if meta_id:
            return audit.pseudonym(self.secret, meta_id, COMMENTER)
        if username:
            return audit.pseudonym(self.secret, self.ids.get(username.lower(), "@" + username.lower()), COMMENTER)
        return ""

    def text(self, value: str | None) -> str | None:
        """The text with every person's username replaced by their pseudonym."""
        if not value:
            return value
        # Most texts name nobody: finding the words (in C) and a set lookup cost far less than the
        # substitution, which calls back into Python for every word.
        if "@" not in value and self.ids.keys().isdisjoint(NAME.findall(value.lower())):
            return value
        return WORD.sub(self._word, value)

    def _word(self, match: re.Match[str]) -> str:
        at, word = match.group(1), match.group(2)
        key = word.lower()
        if key in self.accounts or not (at or key in self.ids):
            return match.group(0)
        return at + self.of(self.ids.get(key, ""), word)
