"""The coded variables of a comment (classifier/): the fields Comment inherits and their values.

Kept apart from collector/models.py so the codebook's variables are read in one place: the fields
here, their definitions in `CODEBOOK` (exports and the dataset codebook read it), the values in
`coded_values`. A comment whose `coded_by` is not classifier.LABEL is coded again by
collector.coding.code_comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

import classifier


class Sentiment(models.TextChoices):
    NEGATIVE = classifier.NEGATIVE, _("Negative")
    NEUTRAL = classifier.NEUTRAL, _("Neutral")
    POSITIVE = classifier.POSITIVE, _("Positive")


class Flag(models.TextChoices):
    """The flags, as the comments page filters them: each is a boolean field `is_<flag>`."""

    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")
    SPAM = "spam", _("Spam")


class CodedComment(models.Model):
    sentiment = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices, blank=True, default="")
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    is_question = models.BooleanField(_("question"), default=False)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    is_praise = models.BooleanField(_("praise"), default=False)
    is_spam = models.BooleanField(_("spam"), default=False)
    coded_by = models.CharField(
        _("coded by"), max_length=40, blank=True, help_text=_("The classifier and version that coded this comment.")
    )

    class Meta:
        abstract = True

    @property
    def coded_flags(self) -> list[str]:
        return [flag.label for flag in Flag if getattr(self, f"is_{flag.value}")]


CODED_FIELDS = ["sentiment", "sentiment_score", "is_question", "is_complaint", "is_praise", "is_spam", "coded_by"]


def coded_values(text: str) -> dict[str, Any]:
    """The coded fields for a comment's text, to pass to Comment(...) or an UPDATE."""
    coding = classifier.classify(text)
    return {
        "sentiment": coding.sentiment,
        "sentiment_score": coding.score,
        "is_question": coding.question,
        "is_complaint": coding.complaint,
        "is_praise": coding.praise,
        "is_spam": coding.spam,
        "coded_by": classifier.LABEL,
    }


@dataclass(frozen=True)
class CodebookEntry:
    column: str  # the export column, named as the field
    kind: str  # insights.exports' column kind
    values: str | Promise  # translated: the codebook is written in the release's language
    definition: str | Promise


# The coded variables as the comment export writes them, for the dataset codebook. Definitions are
# the codebook's (docs/classifier.md has them with examples); `coded_by` names the classifier version.
CODEBOOK = (
    CodebookEntry(
        "sentiment",
        "str",
        _("negative | neutral | positive; empty if not coded"),
        _(
            "The attitude the comment expresses toward its subject (the institution, its people, the post or the "
            "matter discussed). Irony counts as what it means. Spam is neutral. Automatic: see coded_by."
        ),
    ),
    CodebookEntry(
        "sentiment_score",
        "float",
        _("real number; below -0.75 negative, above 0.75 positive"),
        _("The classifier's summed lexical evidence: negative words and emojis count below zero, positive above."),
    ),
    CodebookEntry(
        "is_question",
        "bool",
        _("true | false; empty if not coded"),
        _(
            "The comment asks for information or an answer, with or without a question mark (rhetorical questions "
            "that complain count too). Never true for spam."
        ),
    ),
    CodebookEntry(
        "is_complaint",
        "bool",
        _("true | false; empty if not coded"),
        _(
            "A negative comment about a problem with a service, a facility or a decision of the institution (not "
            "grief or personal bad news)."
        ),
    ),
    CodebookEntry(
        "is_praise",
        "bool",
        _("true | false; empty if not coded"),
        _(
            "A positive comment approving of, thanking or congratulating the institution, its people or the post "
            "(not only the writer's own good news)."
        ),
    ),
    CodebookEntry(
        "is_spam",
        "bool",
        _("true | false; empty if not coded"),
        _("Unsolicited promotion: links, phone numbers, calls to follow, sales, prizes, follower offers."),
    ),
    CodebookEntry(
        "coded_by",
        "str",
        _('classifier name and version, e.g. "lexico-ptbr 1.1"; empty if not coded yet'),
        _(
            "The classifier that set the codes on this row (a rule-based Portuguese lexicon, offline); rows of one "
            "release may be re-coded with a newer version."
        ),
    ),
)
