"""The rules that read a comment with the lexicon: negation, intensifiers, contrast, irony, questions, spam.

One pass over the comment's tokens collects evidence (a signed weight and a kind); the sum is the
sentiment score, and the kinds that dominate give the flags. Pure Python and regular expressions,
about 50 µs a comment on this machine: no model, nothing read from disk or network at run time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from classifier import lexicon as lx

POSITIVE_AT = 0.75  # a score at or above is positive, at or below its negative is negative
NEGATION_REACH = 3  # tokens a "não" reaches, within its clause
BOOST = 1.5
BEFORE_CONTRAST, AFTER_CONTRAST, IN_CONCESSION = 0.5, 1.5, 0.3
ARTICLES = set("o a os as um uma de do da dos das mais nenhum nenhuma".split())
PUNCTUATION = set(".!?;,:")

_PHRASE_LIST = list(lx.PHRASES.items())
# One word boundary around the whole alternation: the alternatives are tried only where a word starts.
_PHRASES = re.compile(
    r"\b(?:" + "|".join(rf"(?P<p{i}>{pattern})" for i, (pattern, _) in enumerate(_PHRASE_LIST)) + r")\b"
)
_PHRASE_TOKENS = {f"p{i}": value for i, (_pattern, value) in enumerate(_PHRASE_LIST)}
_UNNEGATED = re.compile(r"\b(?:" + "|".join(lx.UNNEGATED) + r")\b")
_IRONY = re.compile(r"(?:^|\s)(?:" + lx.IRONY_PHRASES + r")\b")
_CONTRAST_PHRASES = re.compile(r"\b(?:so que|so q|na pratica)\b")
_OPENERS = re.compile(r"^(?:" + lx.QUESTION_OPENERS + r")\b")
_SPAM_STRONG = re.compile(lx.SPAM_STRONG)
_SPAM_WEAK = re.compile(lx.SPAM_WEAK)
_EMOJI = re.compile("[" + re.escape("".join([*lx.EMOJIS, *lx.IRONY_EMOJIS])) + "]")
_MENTION = re.compile(r"@[\w.]+")
_LAUGH = re.compile(r"\b(?:k{2,}|(?:ha){2,}|(?:rs){1,})\b")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_TOKENS = re.compile(r"[a-z0-9$]+|[.!?;,:]")


@dataclass
class Evidence:
    value: float
    kind: str


@dataclass
class Reading:
    """What one pass over the tokens found."""

    evidence: list[Evidence] = field(default_factory=list)
    contrast: bool = False

    def totals(self) -> dict[str, float]:
        """The summed evidence per kind, in one pass."""
        sums = dict.fromkeys((lx.PRAISE, lx.HAPPY, lx.COMPLAINT, lx.SAD), 0.0)
        for item in self.evidence:
            sums[item.kind] += item.value
        return sums


def _unaccented(char: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))


# Latin letters with accents to their base letter ("ç" to "c"), as one str.translate table: the
# per-character NFKD it replaces cost a third of the classifier's time.
_ACCENTS = str.maketrans({chr(code): _unaccented(chr(code)) for code in range(0xC0, 0x250)})


def normalise(text: str) -> str:
    """Lower case without accents or mentions; letters repeated for emphasis once ("valeuuu")."""
    text = text.lower()
    if not text.isascii():
        text = text.translate(_ACCENTS)
    text = _MENTION.sub(" ", text.replace("wi-fi", "wifi").replace("wi fi", "wifi"))
    text = _REPEATS.sub(r"\1", text)
    return _LAUGH.sub(" ", text)


def is_spam(text: str) -> bool:
    strong = len(_SPAM_STRONG.findall(text))
    weak = len(_SPAM_WEAK.findall(text))
    return 2 * strong + weak >= 2


def phrase_tokens(text: str) -> str:
    """Each known phrase becomes one token (`pN`); a phrase of no weight becomes a clause break."""

    def token(match: re.Match[str]) -> str:
        name = match.lastgroup or ""
        return " , " if _PHRASE_TOKENS[name][0] == 0 else f" {name} "

    text = _UNNEGATED.sub(" ", text)
    return _PHRASES.sub(token, _CONTRAST_PHRASES.sub(" mas ", text))


def lookup(token: str) -> tuple[float, str] | None:
    return _PHRASE_TOKENS.get(token) or lx.WORDS.get(token)


def _lacks(tokens: list[str], start: int) -> bool:
    """Whether the words after "sem" / "não tem" / "falta" name something a campus should have."""
    for token in tokens[start : start + 3]:
        if token in lx.LACKING:
            return True
        if token not in ARTICLES:
            return False
    return False


class Walker:
    """One pass over the tokens: the state that negators, intensifiers and contrasts leave behind."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.reading = Reading(contrast=any(token in lx.CONTRASTS for token in tokens))
        self.negated = 0
        self.boost = (1.0, 0)  # multiplier, tokens left
        self.zone = BEFORE_CONTRAST if self.reading.contrast else 1.0
        self.in_concession = False
        self.last_at = -10  # index of the last polar token

    def add(self, value: float, kind: str, index: int) -> None:
        factor = IN_CONCESSION if self.in_concession else self.zone
        self.reading.evidence.append(Evidence(value * factor, kind))
        self.last_at = index

    def step(self, index: int, token: str) -> None:
        multiplier, left = self.boost
        self.boost = (multiplier, left - 1) if left > 1 else (1.0, 0)
        if token in PUNCTUATION:
            self.negated, self.boost, self.in_concession = 0, (1.0, 0), False
        elif token in lx.CONTRASTS:
            self.zone, self.negated, self.in_concession = AFTER_CONTRAST, 0, False
        elif token in lx.CONCESSIONS:
            self.in_concession = True
        elif token in lx.NEGATORS:
            following = self.tokens[index + 1] if index + 1 < len(self.tokens) else "."
            self.negated = 0 if following in PUNCTUATION else NEGATION_REACH
        elif token in lx.INTENSIFIERS:
            self.boost = (BOOST, 3)
        elif token in lx.AFTER_INTENSIFIERS:
            self._after_intensifier(index)
        elif token in ("sem", "falta", "faltando", "faltou", "tem") and self._lack(index, token):
            self.add(-1.5, lx.COMPLAINT, index)
            self.negated = 0
        elif token in lx.SERVICE_VERBS and self.negated:
            self.add(-1.5, lx.COMPLAINT, index)
            self.negated = 0
        elif (entry := lookup(token)) is not None:
            self._polar(index, *entry, multiplier)
        if self.negated and token not in lx.NEGATORS and token not in PUNCTUATION:
            self.negated -= 1

    def _lack(self, index: int, token: str) -> bool:
        return (token != "tem" or self.negated > 0) and _lacks(self.tokens, index + 1)

    def _after_intensifier(self, index: int) -> None:
        if index - self.last_at <= 2 and self.reading.evidence:
            self.reading.evidence[-1].value *= BOOST
        elif index and self.tokens[index - 1] in ("sao", "e", "eh", "ta", "esta", "foi", "vcs", "voces"):
            self.add(1.0, lx.PRAISE, index)

    def _polar(self, index: int, weight: float, kind: str, multiplier: float) -> None:
        value = weight * multiplier * (-1 if kind in lx.NEGATIVE_KINDS else 1)
        if self.negated:
            if value > 0:  # "não gostei": a praise word denied is a complaint, good news denied is sad
                value, kind = -value, lx.COMPLAINT if kind == lx.PRAISE else lx.SAD
            else:  # "não foi ruim": mildly good
                value, kind = -value / 2, lx.PRAISE
            self.negated = 0
        self.add(value, kind, index)


def read(text: str) -> tuple[Reading, list[str], bool]:
    """The evidence in a normalised comment, its tokens, and whether an irony marker was seen."""
    ironic = bool(_IRONY.search(text))
    text = phrase_tokens(_IRONY.sub(" ", text))
    tokens = _TOKENS.findall(text)
    walker = Walker(tokens)
    for index, token in enumerate(tokens):
        walker.step(index, token)
    return walker.reading, tokens, ironic


def emoji_evidence(text: str) -> tuple[list[Evidence], bool]:
    found = [] if text.isascii() else _EMOJI.findall(text)
    ironic = any(char in lx.IRONY_EMOJIS for char in found)
    evidence = []
    for char in found:
        if char in lx.EMOJIS:
            weight, kind = lx.EMOJIS[char]
            evidence.append(Evidence(-weight if kind in lx.NEGATIVE_KINDS else weight, kind))
    return evidence, ironic


def unironic(reading: Reading, ironic: bool) -> None:
    """Praise beside a complaint with no "mas" is irony ("Parabéns pela organização, 4 h de fila"):
    its words of praise count as complaint."""
    totals = reading.totals()
    if ironic or (not reading.contrast and -totals[lx.COMPLAINT] >= 1.5 and totals[lx.PRAISE] > 0):
        for item in reading.evidence:
            if item.kind == lx.PRAISE and item.value > 0:
                item.value, item.kind = -item.value, lx.COMPLAINT


def is_question(raw: str, tokens: list[str]) -> bool:
    if "?" in raw:
        return True
    clause: list[str] = []
    for token in [*tokens, "."]:
        if token not in PUNCTUATION:
            clause.append(token)
            continue
        words = clause
        while words and words[0] in lx.GREETINGS:
            words = words[1:]
        if words and (
            words[0] in lx.INTERROGATIVES
            or _OPENERS.match(" ".join(words[:3]))
            or any(word in lx.TRAILING_INTERROGATIVES for word in words[-2:])
            or words[-2:] == ["ou", "nao"]
        ):
            return True
        clause = []
    return False
