"""Answers to value questions (who, when, where, how many): which value each source gives, and whether they differ.

A sentence counts when the passage around it is about the question; two
near-identical sentences that differ only in the value are a disagreement
(parallel sentences), and a sentence that states every qualifier itself gives
its one plain value on its own. Values that are the same group into one side.
"""

from __future__ import annotations

from newsbot.engine.attribution import ROLE_TERMS
from newsbot.engine.candidates import Candidate, found
from newsbot.engine.question import Question
from newsbot.engine.relevance import (
    alias_terms,
    coverage,
    head_coverage,
    heads_named,
    names_context,
    paragraph_terms,
    qualifiers_present,
    states_all_qualifiers,
)
from newsbot.engine.value_slot import confident
from newsbot.engine.values import Value, extract, parallel_conflict, same
from newsbot.engine.wording import CitationBook, side_for, summary_for
from newsbot.models import Answer, Stance, Verdict

MAX_QUOTES_PER_SIDE = 3
MAX_SIDES_PER_STANCE = 3
VALUE_MIN_COVERAGE = 0.6
LOOSE_COVERAGE = 0.5
MIN_STATEMENT_TOKENS = 5
STRONG_COVERAGE = 0.8


def value_answer(q: Question, candidates: list[Candidate]) -> Answer | None:
    # Loose: the passage around the sentence is about the question. Enough for two near-identical
    # sentences that differ only in the value to count as a disagreement.
    loose: list[tuple[Candidate, float, bool]] = []
    for c in candidates:
        if len(c.sentence.tokens) < MIN_STATEMENT_TOKENS:
            continue  # a dateline ("Sep 17, 2020 ...") or a label states nothing
        names = names_context(c.analysis, c.sentence, c.title_terms) | alias_terms(c.analysis, c.sentence)
        if q.answer_type == "person" and q.focus in ROLE_TERMS:
            names |= c.title_terms | c.analysis.sentences[0].terms  # "chief executive Priya Raman": headline, lead
        context = paragraph_terms(c.analysis, c.sentence) | (names - c.sentence.terms)
        if head_coverage(q, context) < LOOSE_COVERAGE or not (q.numbers | q.name_heads) <= context:
            continue
        if not heads_named(q, c.analysis, c.sentence, context, c.title_terms):
            continue  # "the final medal count" does not name the World Cup Final
        if not qualifiers_present(q, names):
            continue  # "women's singles" does not answer a question about men's singles
        if q.counted == "peopl":  # "How many people …" ← "Two men were arrested": people counted by another word
            names |= {q.counted}
        strict = coverage(q, names) >= VALUE_MIN_COVERAGE and states_all_qualifiers(q, c.sentence.terms, names)
        loose.append((c, coverage(q, names), strict))
    if not loose:
        return None
    chosen: dict[int, Value] = {}
    linked: set[tuple[int, int]] = set()
    values = [extract(q, c.sentence, c.evidence.article.published) for c, _, _ in loose]  # once per sentence
    leads = [_lead(c) for c, _, _ in loose]
    for a in range(len(loose)):
        for b in range(a + 1, len(loose)):
            if loose[a][0].evidence.article.id == loose[b][0].evidence.article.id:
                continue
            pair = parallel_conflict(loose[a][0].sentence, values[a], loose[b][0].sentence, values[b],
                                     leads[a], leads[b])
            if pair is not None:
                chosen.setdefault(a, pair[0])
                chosen.setdefault(b, pair[1])
                linked.add((a, b))
    # Strict: the sentence itself states every qualifier; then its one plain value counts on its own.
    for i, (c, _, strict) in enumerate(loose):
        if i not in chosen and strict:
            v = confident(q, c.sentence, values[i])
            if v is not None:
                chosen[i] = v
    if not chosen:
        return None
    relevant = [(c, score) for c, score, _ in loose]
    groups: list[list[int]] = []
    for i in sorted(chosen, key=lambda i: (-relevant[i][1], relevant[i][0].rank)):
        for g in groups:
            if same(chosen[g[0]], chosen[i]):
                g.append(i)
                break
        else:
            groups.append([i])
    groups.sort(key=lambda g: (-len(g), min(relevant[i][0].rank for i in g)))
    rivals = [g for g in groups[1:] if _disagree(groups[0], g, relevant, linked)]
    kept = [groups[0], *rivals[: MAX_SIDES_PER_STANCE]]
    book = CitationBook()
    sides = []
    for g in kept:
        in_pair = {i for pair in linked for i in pair}
        members = sorted(g, key=lambda i: (i not in in_pair, -_precision(chosen[i]), -relevant[i][1],
                                           relevant[i][0].rank))[:MAX_QUOTES_PER_SIDE]
        sides.append(side_for(q, Stance.SUPPORTS, [found(relevant[i][0], chosen[i]) for i in members], book))
    verdict = Verdict.CONTESTED if rivals else Verdict.SUPPORTED
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides),
                  sides=sides, citations=book.citations)


def _lead(c: Candidate, sentences: int = 3) -> list[str]:
    """The words of up to ``sentences`` sentences before the candidate's, in its paragraph."""
    before = [o for o in c.analysis.sentences[max(0, c.sentence.index - sentences) : c.sentence.index]
              if o.paragraph == c.sentence.paragraph]
    return [t.text.lower() for o in before for t in o.tokens]


def _precision(value: Value) -> int:
    """How specific a value is: a full date beats a month, which beats a year."""
    return sum(part is not None for part in value.key[1:]) if value.key[0] == "date" else 0


def _disagree(top: list[int], other: list[int], relevant: list, linked: set[tuple[int, int]]) -> bool:
    """Two value groups conflict if parallel sentences link them, or both are stated strongly."""
    if any((min(a, b), max(a, b)) in linked for a in top for b in other):
        return True
    return max(relevant[i][1] for i in top) >= STRONG_COVERAGE and max(relevant[i][1] for i in other) >= STRONG_COVERAGE
