"""From verified quotes to the answer's sides, verdict and summary, all the model's.

:mod:`newsbot.llm.verify` decides which quotes stand and to whom each is
credited; this module turns them into sides: one per side of the model's
reply and speaker (a quote re-credited to the outlet becomes the outlet's
side), with the model's stance, speaker and statement, and its citations
numbered 1..N in order of use. Two mechanical checks remain here: a side's
**answer** (the value a who/when/how-much question asks for) must appear in
one of its quotes, and a number in its **statement** must appear in the
passages the model was given or the question, else the statement gives way
to the quote itself.
It also strips planted instructions from the offline reader's answer, which
the LLM mode falls back to and compares with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.engine import CitationBook, is_tainted
from newsbot.llm.quotes import Located, find_in
from newsbot.models import Answer, Evidence, Side, Stance, Verdict, verdict_for

TAINT_REMOVED = "text that reads as an instruction to the model removed from the sources"
PLAIN_STATEMENT = 200  # a quote standing in for a statement is cut to this many characters
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class Quote:
    """A verified quote with the side of the model's reply it came from and what that side says of it."""

    side: int  # 1-based number of the model's side it came from
    stance: Stance
    speaker: str
    key: str  # grouping key within the side: the speaker's name word, or "outlet:<name>"
    found: Located
    statement: str | None  # the model's statement, while it still belongs to this quote
    value: str | None = None  # the model's answer to a who/when/how-much question
    where: str = ""  # the text the article attributes the quote in (its paragraph, or the one before too)
    audience: str | None = None  # to whom, as the article writes it (checked)
    when: str | None = None  # when, as the article writes it (checked)


def group_quotes(quotes: list[Quote]) -> list[list[Quote]]:
    """Quotes by (the model's side, speaker), in order of first appearance: one answer side each."""
    groups: dict[tuple[int, str], list[Quote]] = {}
    for q in quotes:
        groups.setdefault((q.side, q.key), []).append(q)
    return list(groups.values())


def build_side(question: str, group: list[Quote], value: str | None, book: CitationBook, repairs: list[str],
               given: str) -> Side:
    """One side from a group of verified quotes, its citations numbered in ``book``; ``given``: the passages' text."""
    stance, speaker = group[0].stance, group[0].speaker
    numbers: list[int] = []
    for q in group:
        n = book.cite(q.found.evidence.article, q.found.start, q.found.end)
        if n not in numbers:
            numbers.append(n)
    statement = next((q.statement for q in group if q.statement), None)
    if statement is not None:
        invented = numbers_not_in(statement, f"{given} {question}")
        if invented:
            repairs.append(f"side {group[0].side}: statement gives {invented[0]!r}, which the passages do not; "
                           "its quote is shown instead")
            statement = None
    if statement is None:
        statement = plain_statement(group[0].found)
    return Side(stance=stance, speaker=speaker, text=f"{speaker}: {statement}", citations=numbers,
                audience=next((q.audience for q in group if q.audience), None),
                when=next((q.when for q in group if q.when), None), answer=value)


def numbers_not_in(statement: str, text: str) -> list[str]:
    """The numbers ``statement`` writes that ``text`` does not (digits compared, separators ignored)."""
    have = {re.sub(r"[.,]", "", n) for n in _NUMBER_RE.findall(text)}
    return [n for n in _NUMBER_RE.findall(statement) if re.sub(r"[.,]", "", n) not in have]


def plain_statement(found: Located) -> str:
    """The quote itself, as a side's statement where the model's cannot stand."""
    text = " ".join(found.text.split())
    return text if len(text) <= PLAIN_STATEMENT else text[: PLAIN_STATEMENT - 1].rstrip() + "…"


def value_of(group: list[Quote], repairs: list[str]) -> str | None:
    """The side's answer to a value question, as its quote writes it; dropped if no quote states it."""
    value = next((q.value for q in group if q.value), None)
    if value is None:
        return None
    found = next((f for f in (find_in(q.found.text, value) for q in group) if f is not None), None)
    if found is not None:
        return found
    repairs.append(f"side {group[0].side}: answer {value[:40]!r} is not in its quotes, dropped")
    return None


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
    summary = summary_for(verdict, sides) if sides else NOTHING_FOUND
    return answer.model_copy(update={"sides": sides, "citations": book.citations, "verdict": verdict,
                                     "summary": summary,
                                     "repairs": [*answer.repairs, TAINT_REMOVED]})


NOTHING_FOUND = "The corpus holds nothing usable that answers this question, so there is nothing to cite."


def summary_for(verdict: Verdict, sides: list[Side], also: Sequence[Side] = ()) -> str:
    """One paragraph: the verdict, each side's statement with its citation numbers, then what was also found."""
    lead = {Verdict.CONTESTED: "Contested: the sources disagree.", Verdict.SUPPORTED: "Supported by the sources.",
            Verdict.REFUTED: "Refuted by the sources.",
            Verdict.CONTEXT: "The sources hold related reporting but no direct answer."}.get(verdict, "")
    parts = [f"{s.text} {''.join(f'[{n}]' for n in s.citations)}" for s in sides]
    text = f"{lead} {'; '.join(parts)}.".strip()
    if also:
        text += " " + "; ".join(f"{s.text} {''.join(f'[{n}]' for n in s.citations)}" for s in also) + "."
    return text
