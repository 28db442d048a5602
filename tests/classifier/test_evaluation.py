"""The classifier on the labelled sample: it fails below the scores docs/classifier.md commits to.

tests/data/comments_pt_br.csv (452 comments) is the tuning set: the lexicon was written and
adjusted looking at it. tests/data/comments_pt_br_holdout.csv (151) was written after version 1.0
was frozen and scored once; nothing was changed after looking at it. Its figures are the honest ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import FLAGS, LABEL, SENTIMENTS
from classifier.evaluation import Report, evaluate, load

DATA = Path(__file__).resolve().parent.parent / "data"
TUNING = DATA / "comments_pt_br.csv"
HOLDOUT = DATA / "comments_pt_br_holdout.csv"
# Committed in docs/classifier.md ("What the suite holds it to"); measured figures are above them.
HOLDOUT_MACRO_F1 = 0.80
HOLDOUT_ACCURACY = 0.80
HOLDOUT_FLAG_F1 = {"question": 0.90, "complaint": 0.65, "praise": 0.85, "spam": 0.90}
TUNING_MACRO_F1 = 0.95


@pytest.fixture(scope="module")
def holdout() -> Report:
    return evaluate(load(HOLDOUT))


def test_the_sample_has_over_300_labelled_comments_of_every_kind() -> None:
    examples = load(TUNING) + load(HOLDOUT)
    assert len(examples) >= 300
    assert {example.sentiment for example in examples} == set(SENTIMENTS)
    assert set().union(*(example.flags for example in examples)) == set(FLAGS)
    assert len({example.text for example in examples}) == len(examples)  # no comment twice


def test_it_codes_the_held_out_comments_at_the_committed_sentiment_scores(holdout: Report) -> None:
    assert holdout.macro_f1 >= HOLDOUT_MACRO_F1, f"{LABEL}: macro-F1 {holdout.macro_f1:.3f}"
    assert holdout.accuracy >= HOLDOUT_ACCURACY, f"{LABEL}: accuracy {holdout.accuracy:.3f}"


def test_it_flags_the_held_out_comments_at_the_committed_scores(holdout: Report) -> None:
    scores = {score.name: round(score.f1, 3) for score in holdout.flags}
    assert all(scores[name] >= floor for name, floor in HOLDOUT_FLAG_F1.items()), scores


def test_it_still_codes_the_tuning_set_as_when_it_was_tuned() -> None:
    report = evaluate(load(TUNING))
    assert report.macro_f1 >= TUNING_MACRO_F1, f"{LABEL}: macro-F1 {report.macro_f1:.3f}"
