"""Scores of the classifier on a labelled CSV (text, sentiment, flags): what docs/classifier.md reports
and tests/classifier/test_evaluation.py holds it to. `python -m classifier.evaluation FILE…` prints them."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from classifier import FLAGS, SENTIMENTS, classify


@dataclass(frozen=True)
class Example:
    text: str
    sentiment: str
    flags: frozenset[str]


@dataclass(frozen=True)
class ClassScore:
    name: str
    support: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Report:
    examples: int
    accuracy: float
    sentiments: tuple[ClassScore, ...]
    flags: tuple[ClassScore, ...]
    errors: tuple[tuple[Example, str, frozenset[str]], ...]

    @property
    def macro_f1(self) -> float:
        return sum(score.f1 for score in self.sentiments) / len(self.sentiments)


def load(path: Path) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            Example(row["text"], row["sentiment"], frozenset(flag for flag in row["flags"].split("|") if flag))
            for row in csv.DictReader(file)
        ]


def _score(name: str, truth: list[bool], guess: list[bool]) -> ClassScore:
    hits = sum(t and g for t, g in zip(truth, guess, strict=True))
    guessed, actual = sum(guess), sum(truth)
    return ClassScore(name, actual, hits / guessed if guessed else 0.0, hits / actual if actual else 0.0)


def evaluate(examples: list[Example]) -> Report:
    codings = [classify(example.text) for example in examples]
    sentiments = tuple(
        _score(name, [e.sentiment == name for e in examples], [c.sentiment == name for c in codings])
        for name in SENTIMENTS
    )
    flags = tuple(
        _score(name, [name in e.flags for e in examples], [getattr(c, name) for c in codings]) for name in FLAGS
    )
    errors = tuple(
        (example, coding.sentiment, frozenset(coding.flags))
        for example, coding in zip(examples, codings, strict=True)
        if coding.sentiment != example.sentiment or frozenset(coding.flags) != example.flags
    )
    right = sum(c.sentiment == e.sentiment for e, c in zip(examples, codings, strict=True))
    return Report(len(examples), right / len(examples), sentiments, flags, errors)


def markdown(report: Report) -> str:
    lines = [
        f"{report.examples} comments; sentiment accuracy **{report.accuracy:.3f}**,"
        f" macro-F1 **{report.macro_f1:.3f}**.",
        "",
        "| class | support | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for score in (*report.sentiments, *report.flags):
        kind = "sentiment" if score in report.sentiments else "flag"
        lines.append(
            f"| {kind} `{score.name}` | {score.support} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} |"
        )
    return "\n".join(lines)


def main(paths: list[str]) -> int:
    for path in paths:
        report = evaluate(load(Path(path)))
        print(f"## {path}\n\n{markdown(report)}\n")
        if "--errors" in sys.argv:
            for example, sentiment, flags in report.errors:
                print(
                    f"- {example.sentiment}/{'|'.join(sorted(example.flags))} -> {sentiment}/"
                    f"{'|'.join(sorted(flags))}: {example.text}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main([arg for arg in sys.argv[1:] if not arg.startswith("--")]))
