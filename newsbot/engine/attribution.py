"""Who said each sentence of an article, to whom and when.

News writing attributes claims with a small grammar: "Zelensky said …",
"press secretary Natalya Eismont told RBC that …", "According to Zelensky, …",
"“…,” she said." This module reads that grammar (:mod:`newsbot.engine.speech`) sentence by sentence, looking
only at text outside double quotes (words inside a quote belong to the quoted
person), resolves "he"/"she" to the last named speaker, and lets an
unattributed quotation inherit the speaker of the quote it continues.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from newsbot.engine.acronyms import acronyms
from newsbot.engine.speech import (
    ROLE_TERMS,
    SPEECH_VERBS,
    UNNAMED,
    Attribution,
    acts,
    direct_attribution,
    name_key,
    name_runs,
    strip_possessive,
)
from newsbot.text import Token, quoted_mask, sentence_spans, term, terms_of, tokens

__all__ = ["ROLE_TERMS", "SPEECH_VERBS", "UNNAMED", "ArticleAnalysis", "Attribution", "SentenceInfo", "acts",
           "analyze_article", "name_key"]


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """One sentence of an article with what the engine needs to know about it."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    attribution: Attribution
    names: tuple[tuple[str, int, int], ...]  # proper-name runs: (name, start, end) in article offsets
    tokens: tuple[Token, ...]  # article offsets
    terms: frozenset[str]


@dataclass(frozen=True)
class ArticleAnalysis:
    """Sentences of one article, in order, each attributed."""

    sentences: tuple[SentenceInfo, ...]

    @cached_property
    def paragraph_terms(self) -> dict[int, frozenset[str]]:
        """All terms of each paragraph, by paragraph number."""
        out: dict[int, set[str]] = {}
        for s in self.sentences:
            out.setdefault(s.paragraph, set()).update(s.terms)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def name_terms(self) -> dict[str, frozenset[str]]:
        """Every word the article uses for each person or body, by :func:`name_key`.

        "Belarusian President Aleksandr Lukashenko" early on and "Lukashenko" later are one
        key, "lukashenko", known also as Belarusian, President and Aleksandr.
        """
        out: dict[str, set[str]] = {}
        for s in self.sentences:
            short = acronyms(s.text)
            for name, _, end in s.names:
                key = name_key(name)
                out.setdefault(key, {key}).update(term(w) for w in strip_possessive(name).split())
                out[key].update(term(a) for a, at in short if s.start + at == end)  # "FDA" for its full name
        return {k: frozenset(v) for k, v in out.items()}

    def within(self, start: int, end: int) -> list[SentenceInfo]:
        """Sentences that overlap the span ``[start, end)``."""
        return [s for s in self.sentences if s.end > start and s.start < end]


@lru_cache(maxsize=4096)
def analyze_article(text: str) -> ArticleAnalysis:
    """Split ``text`` into sentences and attribute each one (cached by text)."""
    mask = quoted_mask(text)
    infos: list[SentenceInfo] = []
    last_named: Attribution | None = None
    pending_quote: list[int] = []  # indexes of unattributed quote sentences awaiting a later "she said"
    paragraph = 0
    prev_end = 0
    for idx, (start, end) in enumerate(sentence_spans(text)):
        paragraph += text.count("\n", prev_end, start)
        prev_end = end
        toks = tokens(text[start:end], start)
        names = tuple(name_runs(text, toks))
        outside = [t for t in toks if not mask[t.start]]
        attr = direct_attribution(text, start, end, outside, names, last_named)
        quoted = sum(mask[start:end]) > (end - start) / 2 or mask[start]
        if attr is not None:
            if attr.speaker and attr.key:
                last_named = attr
            for j in pending_quote:
                if infos[j].paragraph == paragraph:
                    infos[j] = _with_attribution(infos[j], attr, inherited=True)
            pending_quote = []
        elif quoted:
            attr = _inherit(last_named) if last_named is not None else Attribution()
            pending_quote.append(idx)
        else:
            attr = Attribution()
            pending_quote = []
        infos.append(
            SentenceInfo(
                index=idx, start=start, end=end, text=text[start:end], paragraph=paragraph,
                attribution=attr, names=names, tokens=tuple(toks),
                terms=terms_of(toks) | {term(a) for a, _ in acronyms(text[start:end])},
            )
        )
    return ArticleAnalysis(tuple(infos))


def _with_attribution(info: SentenceInfo, attr: Attribution, *, inherited: bool) -> SentenceInfo:
    return SentenceInfo(
        index=info.index, start=info.start, end=info.end, text=info.text, paragraph=info.paragraph,
        attribution=_inherit(attr) if inherited else attr, names=info.names, tokens=info.tokens,
        terms=info.terms,
    )


def _inherit(attr: Attribution) -> Attribution:
    return Attribution(attr.speaker, attr.key, attr.role, attr.audience, attr.when, inherited=True)


