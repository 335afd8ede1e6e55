"""The sentences of the retrieved passages, each with its article's analysis, as the answer is built from them.

Every sentence of every retrieved chunk, once, in retrieval order; a sentence
carrying a planted instruction is never evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsbot.engine.attribution import (
    ROLE_TERMS,
    ArticleAnalysis,
    Attribution,
    SentenceInfo,
    analyze_article,
)
from newsbot.engine.injection import is_tainted
from newsbot.engine.values import Value
from newsbot.engine.wording import Found, in_outlet_frame
from newsbot.models import Evidence
from newsbot.text import term, tokens


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage, with its article's analysis, rank and headline terms."""

    evidence: Evidence
    analysis: ArticleAnalysis
    sentence: SentenceInfo
    rank: int
    title_terms: frozenset[str]


def candidates_of(evidence: Sequence[Evidence]) -> list[Candidate]:
    """Every sentence of the retrieved chunks (best first), each once."""
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    for rank, ev in enumerate(evidence):
        analysis = analyze_article(ev.article.text)
        title_terms = frozenset(term(t.text) for t in tokens(ev.article.title))
        for s in analysis.within(ev.chunk.start, ev.chunk.end):
            if (ev.article.id, s.start) in seen or is_tainted(ev.article.text, s.start, s.end):
                continue  # a planted instruction ("ignore previous instructions …") is never evidence
            seen.add((ev.article.id, s.start))
            out.append(Candidate(ev, analysis, s, rank, title_terms))
    return out


def proper_terms(candidates: list[Candidate]) -> frozenset[str]:
    """Terms the evidence writes as names somewhere other than a clause's first word, and never in lower case.

    A headline's "Macron Won" does not make "won" a name where the same evidence writes "won" in lower
    case, and "Avatar: Directed by …" capitalises "Directed" only because it opens a clause. A title before a
    name ("President") is not one: "who is the president of Belarus" asks for a name.
    """
    out: set[str] = set()
    lower: set[str] = set()
    for c in candidates:
        first = c.sentence.tokens[0].start if c.sentence.tokens else -1
        text, offset = c.sentence.text, c.sentence.start
        for _, start, end in c.sentence.names:
            if start != first and not text[: start - offset].rstrip().endswith((":", "|", "·", ";", "—", "-", "(")):
                out.update(term(t.text) for t in c.sentence.tokens if start <= t.start < end)
        lower.update(term(t.text) for t in c.sentence.tokens if t.text[:1].islower())
    return frozenset(out - lower - ROLE_TERMS)  # "Ukrainian President Volodymyr Zelensky": a title


def found(c: Candidate, value: Value | None = None) -> Found:
    """The candidate as a side's sentence; a value in the outlet's own frame is credited to the outlet."""
    sentence = c.sentence
    if value is not None and in_outlet_frame(sentence, value.start, value.end):
        sentence = replace(sentence, attribution=Attribution())
    return Found(article=c.evidence.article, analysis=c.analysis, sentence=sentence, value=value)
