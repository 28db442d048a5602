"""Comments coded in Brazilian Portuguese, offline: a sentiment and four flags per comment.

Plain Python like meta/: no Django, no model file, nothing downloaded. `classify(text)` reads a
comment with the lexicon (classifier/lexicon.py) and its rules (classifier/rules.py). Every coded
comment stores `LABEL` ("lexico-ptbr 1.1"), so comments coded by an older version can be found
and coded again (collector.coding.recode). Change a word or a rule, bump VERSION.
docs/classifier.md has the codebook, the evaluation and why a lexicon and not a model.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier import lexicon as lx
from classifier import rules

NAME = "lexico-ptbr"
VERSION = "1.1"
LABEL = f"{NAME} {VERSION}"
NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
SENTIMENTS = (NEGATIVE, NEUTRAL, POSITIVE)
FLAGS = ("question", "complaint", "praise", "spam")


@dataclass(frozen=True)
class Coding:
    sentiment: str
    score: float
    question: bool
    complaint: bool
    praise: bool
    spam: bool

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(name for name in FLAGS if getattr(self, name))


def classify(text: str) -> Coding:
    """The comment's sentiment and flags. Spam is neutral and carries no other flag (its question
    is a hook, its praise a lure); a complaint needs a negative comment, praise a positive one."""
    raw = text or ""
    normal = rules.normalise(raw)
    if rules.is_spam(normal):
        return Coding(NEUTRAL, 0.0, question=False, complaint=False, praise=False, spam=True)
    reading, tokens, ironic = rules.read(normal)
    emojis, emoji_irony = rules.emoji_evidence(raw)
    reading.evidence += emojis
    rules.unironic(reading, ironic or emoji_irony)
    score = round(sum(item.value for item in reading.evidence), 2)
    sentiment = POSITIVE if score >= rules.POSITIVE_AT else NEGATIVE if score <= -rules.POSITIVE_AT else NEUTRAL
    totals = reading.totals()
    complaint, sad = -totals[lx.COMPLAINT], -totals[lx.SAD]
    praise, happy = totals[lx.PRAISE], totals[lx.HAPPY]
    return Coding(
        sentiment,
        score,
        question=rules.is_question(raw, tokens),
        complaint=sentiment == NEGATIVE and complaint > 0 and complaint >= sad,
        praise=sentiment == POSITIVE and praise > 0 and praise >= happy,
        spam=False,
    )
