"""The coded variables of a comment (classifier/): the fields Comment inherits and their values.

Kept apart from collector/models.py so the codebook's variables are read in one place: the fields
here, their definitions in `CODEBOOK` (exports and the dataset codebook read it), the values in
`coded_values`. A comment whose `coded_by` is not classifier.LABEL is coded again by
collector.coding.code_comments.
"""

from __future__ import annotations

from typing import Any

from django.db import models
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
