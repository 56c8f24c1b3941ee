"""The report's sentences as structured text: built once, shown as HTML and in the terminal.

A sentence is a sequence of segments, each plain text or text set in a style (a name in
bold, a word in italics, a command as code). The report's template renders it through
``__html__``, which Jinja2's autoescape honours, escaping every segment's text, so a name a
user typed is text wherever it lands; the terminal prints ``str(words)``, the same text with
no style. Nothing is written as HTML and stripped again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import escape

#: Style -> the HTML element that sets it ("" is plain text).
TAGS = {"": "", "strong": "b", "em": "i", "code": "code"}


@dataclass(frozen=True)
class Words:
    """Text in segments of (style, text); adding plain strings or other words keeps them."""

    segments: tuple[tuple[str, str], ...] = ()

    def __add__(self, other: Words | str) -> Words:
        return Words(self.segments + _segments(other))

    def __radd__(self, other: str) -> Words:
        return Words(_segments(other) + self.segments)

    def __str__(self) -> str:
        return "".join(text for _, text in self.segments)

    def __html__(self) -> str:
        return "".join(_html(style, text) for style, text in self.segments)

    @staticmethod
    def join(separator: str, parts: Iterable[Words | str]) -> Words:
        out = Words()
        for i, part in enumerate(parts):
            out = out + (separator if i else "") + part
        return out


#: A sentence: plain text, or words with styled segments.
Text = Words | str


def _segments(part: Words | str) -> tuple[tuple[str, str], ...]:
    return part.segments if isinstance(part, Words) else (("", part),)


def _html(style: str, text: str) -> str:
    tag = TAGS[style]
    return f"<{tag}>{escape(text)}</{tag}>" if tag else str(escape(text))


def strong(text: str) -> Words:
    """A name or a word in bold."""
    return Words((("strong", text),))


def em(text: str) -> Words:
    """A word in italics."""
    return Words((("em", text),))


def code(text: str) -> Words:
    """A command, an option or a path, as typed."""
    return Words((("code", str(text)),))
