"""Sentences and paragraphs of an article as character spans, for pinning and checking quotes.

Sentences are the offline reader's own (:func:`newsbot.engine.sentence_spans`,
part of the engine's public surface), so a whole sentence the model quotes is
the very span the reader would quote. A paragraph is a run of text between
line breaks. Everything is an offset into the stored text, so a span is
always an exact slice of it.

:func:`attributed_in` is where an article says who said a sentence, by the
plain conventions of news writing: the sentence's own paragraph, and the
paragraph before it when this one goes on from it (it opens with a quotation
mark, or its sentence refers to the speaker as "he", "she" or "they").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsbot.engine import sentence_spans
from newsbot.llm.words import words

_QUOTE_MARKS = "\"“”‘’'«»„"
_PRONOUNS = frozenset("he she they his her their him them".split())


@dataclass(frozen=True)
class Sentence:
    """``text[start:end]`` of an article: one sentence."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=128)
def sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` in order (cached: the same article is read for every quote)."""
    return tuple(Sentence(s, e, text[s:e]) for s, e in sentence_spans(text))


def within(text: str, start: int, end: int) -> list[Sentence]:
    """The sentences of ``text`` that overlap ``[start, end)``."""
    return [s for s in sentences(text) if s.start < end and start < s.end]


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph(s) of ``text`` holding ``[start, end)``: from the line break before to the one after."""
    head = text.rfind("\n", 0, start) + 1
    tail = text.find("\n", end)
    return text[head : len(text) if tail < 0 else tail]


def attributed_in(text: str, start: int, end: int) -> str:
    """The text in which the article says who said ``text[start:end]`` (see the module docstring)."""
    head = text.rfind("\n", 0, start) + 1
    own = paragraph(text, start, end)
    quoted = " ".join(s.text for s in within(text, start, end)) or text[start:end]
    goes_on = own.lstrip()[:1] in _QUOTE_MARKS or bool(_PRONOUNS & set(words(quoted)))
    if not goes_on or head == 0:
        return own
    last = head - 1  # the line break that ends the paragraph before (blank lines skipped)
    while last > 0 and text[last - 1].isspace():
        last -= 1
    before = text.rfind("\n", 0, last) + 1
    return f"{text[before:last]}\n{own}"
