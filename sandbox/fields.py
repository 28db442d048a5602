"""Parser for the Graph `fields` grammar: a,b,edge{x,y},edge.limit(5){x},insights.metric(a,b)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import GraphError


@dataclass
class Field:
    name: str
    modifiers: dict[str, str] = field(default_factory=dict)
    children: list[Field] | None = None

    def serialize(self) -> str:
        out = self.name + "".join(f".{k}({v})" for k, v in self.modifiers.items())
        if self.children is not None:
            out += "{" + serialize(self.children) + "}"
        return out


def serialize(fields: list[Field]) -> str:
    return ",".join(f.serialize() for f in fields)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, what: str) -> GraphError:
        return GraphError(2500, f'Syntax error "{what}" at character {self.pos}: {self.text}', type_="OAuthException")

    def peek(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n":
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def name(self) -> str:
        self.peek()
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "_-"):
            self.pos += 1
        if start == self.pos:
            raise self.error(f"Expected field name instead of {self.text[self.pos : self.pos + 1]!r}")
        return self.text[start : self.pos]

    def args(self) -> str:
        depth, start = 0, self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start + 1 : self.pos - 1].strip()
            self.pos += 1
        raise self.error('Expected ")"')

    def field_list(self, closing: str) -> list[Field]:
        out: list[Field] = []
        while True:
            if self.peek() == closing:
                return out
            f = Field(self.name())
            while self.peek() == ".":
                self.pos += 1
                mod = self.name()
                if self.peek() != "(":
                    raise self.error('Expected "("')
                f.modifiers[mod] = self.args()
            if self.peek() == "{":
                self.pos += 1
                f.children = self.field_list("}")
                if self.peek() != "}":
                    raise self.error('Expected "}"')
                self.pos += 1
            out.append(f)
            ch = self.peek()
            if ch == ",":
                self.pos += 1
                continue
            if ch == closing:
                return out
            raise self.error(f"Unexpected {ch!r}")


def parse(text: str | None) -> list[Field] | None:
    """None when no `fields` parameter was given."""
    if text is None:
        return None
    p = _Parser(text)
    out = p.field_list("")
    if p.peek():
        raise p.error(f"Unexpected {p.peek()!r}")
    return out


def split_args(args: str) -> list[str]:
    return [a.strip() for a in args.split(",") if a.strip()]
