"""From verified quotes to the answer: sides, statements, values, verdict and summary.

:mod:`newsbot.llm.verify` decides which quotes stand and whose they are; this
module groups them into sides (one per stance and speaker), decides what each
side may say (the model's statement if its passages support it, else a plain
wording; a value only if a quote states it) and numbers the citations 1..N
in order of use. It also strips planted instructions from the extractive
answer, which the LLM path borrows from and falls back to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.engine.injection import is_tainted
from newsbot.engine.question import analyze
from newsbot.engine.wording import CitationBook
from newsbot.llm.quotes import Located, content_terms, find_in
from newsbot.models import Answer, Evidence, Side, Stance, Verdict
from newsbot.text import is_negation, term, tokens

UNSUPPORTED_MAX = 0.25  # share of a statement's content words allowed to be absent from its passages
TAINT_REMOVED = "text that reads as an instruction to the model removed from the sources"


@dataclass
class Quote:
    """A verified quote with the side it came from and what that side claims about it."""

    side: int  # 1-based number of the model's side it came from
    stance: Stance
    speaker: str
    key: str  # grouping key: the speaker's surname term, or "outlet:<name>"
    found: Located
    statement: str | None  # the model's statement, while it still belongs to this quote
    value: str | None = None  # the model's answer to a who/when/how-much question


def group_quotes(quotes: list[Quote]) -> list[list[Quote]]:
    """Quotes by (stance, speaker), in order of first appearance: one side each."""
    groups: dict[tuple[Stance, str], list[Quote]] = {}
    for q in quotes:
        groups.setdefault((q.stance, q.key), []).append(q)
    return list(groups.values())


def build_side(question: str, group: list[Quote], value: str | None, book: CitationBook, repairs: list[str]) -> Side:
    """One side from a group of verified quotes, its citations numbered in ``book``."""
    stance = group[0].stance
    speaker = max((q.speaker for q in group), key=len)
    numbers: list[int] = []
    for q in group:
        n = book.cite(q.found.evidence.article, q.found.start, q.found.end)
        if n not in numbers:
            numbers.append(n)
    passages = " ".join({q.found.evidence.chunk.id: q.found.evidence.chunk.text for q in group}.values())
    statement = next((q.statement for q in group if q.statement), None)
    if statement is not None and not _supported(statement, stance, passages, question, speaker):
        repairs.append(f"side {group[0].side}: statement not supported by its passages, replaced")
        statement = None
    if statement is None:
        statement = _plain_statement(question, stance, group[0])
    attribution = group[0].found.sentence.attribution if group[0].found.sentence is not None else None
    return Side(stance=stance, speaker=speaker, text=f"{speaker}: {statement}", citations=numbers,
                audience=attribution.audience if attribution else None,
                when=attribution.when if attribution else None, answer=value)


def value_of(group: list[Quote], repairs: list[str]) -> str | None:
    """The side's answer to a value question, as its quote writes it; dropped if no quote states it."""
    value = next((q.value for q in group if q.value), None)
    if value is None:
        return None
    quotes = [q.found.evidence.article.text[q.found.start : q.found.end] for q in group]
    found = next((f for f in (find_in(quote, value) for quote in quotes) if f is not None), None)
    if found is not None:
        return found
    repairs.append(f"side {group[0].side}: answer {value[:40]!r} is not in its quotes, dropped")
    return None


def _supported(statement: str, stance: Stance, passages: str, question: str, speaker: str) -> bool:
    """True when the statement's words come from its passages (or the question) and it fits its stance."""
    words = [t for t in tokens(statement) if content_terms(t.text)]
    if not words:
        return False
    known = content_terms(passages) | content_terms(question) | content_terms(speaker)
    unknown = [t for t in words if term(t.text) not in known]
    if any(t.is_number for t in unknown) or len(unknown) > UNSUPPORTED_MAX * len(words):
        return False
    negates = any(is_negation(t.text) for t in tokens(statement))
    asked_negated = any(is_negation(t.text) for t in tokens(question))
    return not (stance is Stance.SUPPORTS and negates and not asked_negated)


def _plain_statement(question: str, stance: Stance, quote: Quote) -> str:
    q = analyze(question)
    if q.kind == "yesno" and stance is Stance.SUPPORTS and q.affirmative:
        return q.affirmative
    if q.kind == "yesno" and stance is Stance.REFUTES and q.negative:
        return q.negative
    text = quote.found.evidence.article.text[quote.found.start : quote.found.end]
    return text if len(text) <= 200 else text[:199].rstrip() + "…"


def borrow(side: Side, extractive: Answer, book: CitationBook) -> Side:
    """A side of the extractive answer, its citations renumbered into ``book``."""
    by_n = {c.n: c for c in extractive.citations}
    return side.model_copy(update={"citations": [book.cite_citation(by_n[n]) for n in side.citations if n in by_n]})


def without_tainted(answer: Answer, evidence: Sequence[Evidence]) -> Answer:
    """``answer`` without citations of text that reads as an instruction to a model (sides left empty go too)."""
    texts = {ev.article.id: ev.article.text for ev in evidence}
    bad = {c.n for c in answer.citations
           if (is_tainted(texts[c.article_id], c.start, c.end) if c.article_id in texts
               else is_tainted(c.quote, 0, len(c.quote)))}
    if not bad:
        return answer
    book = CitationBook()
    by_n = {c.n: c for c in answer.citations}
    sides = []
    for s in answer.sides:
        kept = [book.cite_citation(by_n[n]) for n in s.citations if n in by_n and n not in bad]
        if kept:
            sides.append(s.model_copy(update={"citations": kept}))
    verdict = verdict_for({s.stance for s in sides}) if sides else Verdict.NOT_FOUND
    summary = summary_for(verdict, sides) if sides else \
        "The corpus holds nothing usable that answers this question, so there is nothing to cite."
    return answer.model_copy(update={"sides": sides, "citations": book.citations, "verdict": verdict,
                                     "summary": summary,
                                     "repairs": [*answer.repairs, TAINT_REMOVED]})


def verdict_for(stances: set[Stance]) -> Verdict:
    """The verdict the sides support: both stances -> contested, one -> supported/refuted, else context."""
    if {Stance.SUPPORTS, Stance.REFUTES} <= stances:
        return Verdict.CONTESTED
    if Stance.SUPPORTS in stances:
        return Verdict.SUPPORTED
    if Stance.REFUTES in stances:
        return Verdict.REFUTED
    return Verdict.CONTEXT if stances else Verdict.NOT_FOUND


def summary_for(verdict: Verdict, sides: list[Side]) -> str:
    """One paragraph: the verdict, then each side's statement with its citation numbers."""
    lead = {Verdict.CONTESTED: "Contested: the sources disagree.", Verdict.SUPPORTED: "Supported by the sources.",
            Verdict.REFUTED: "Refuted by the sources.",
            Verdict.CONTEXT: "The sources hold related reporting but no direct answer."}.get(verdict, "")
    parts = [f"{s.text} {''.join(f'[{n}]' for n in s.citations)}" for s in sides]
    return f"{lead} {'; '.join(parts)}.".strip()
