"""Evidence in, balanced and cited answer out — the extractive engine (no LLM).

Takes the retrieved passages, reads every sentence in them, keeps those that
bear on the question, sorts them into sides (who says yes, who says no, which
value each source gives) and cites each quote by number. Quotes are whole
sentences sliced from the stored article text, so they are exact by
construction. Nothing relevant means ``not_found`` with no citations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from newsbot.engine.candidates import Candidate, candidates_of, found, proper_terms
from newsbot.engine.identity import identity_answer
from newsbot.engine.injection import is_tainted
from newsbot.engine.question import Question, analyze
from newsbot.engine.relevance import (
    coverage,
    names_context,
    numbers_present,
    states_all_qualifiers,
    window_terms,
)
from newsbot.engine.reported import said_by_answer
from newsbot.engine.stance import Judgement, judge_yesno
from newsbot.engine.subject import aliases_of
from newsbot.engine.value_answer import (
    MAX_QUOTES_PER_SIDE,
    MAX_SIDES_PER_STANCE,
    value_answer,
)
from newsbot.engine.wording import (
    CitationBook,
    Found,
    side_for,
    summary_for,
)
from newsbot.models import Answer, Evidence, Stance, Verdict
from newsbot.text import is_stopword, term, tokens

OPEN_MIN_COVERAGE = 0.6
OPEN_ANSWER_COVERAGE = 0.75


def compose(question: str, evidence: Sequence[Evidence]) -> Answer:
    """The balanced, cited answer to ``question`` from ``evidence`` (best first)."""
    candidates = candidates_of(evidence)
    proper = proper_terms(candidates)
    q = analyze(question, proper)
    asked = " ".join(question.split())  # shown as the user wrote it (the analysis recases names)
    if q.content and candidates:
        if q.kind == "yesno":  # "Is Eismont Lukashenko's press secretary?" asks who holds the role
            answer = identity_answer(q, lambda who: value_answer(analyze(who, proper), candidates)) or _yesno(q, candidates)
        elif q.kind == "value":
            answer = value_answer(q, candidates)  # no stated value: the corpus does not answer it
        else:
            answer = _open(q, candidates)
        if answer is not None:
            return answer.model_copy(update={"kind": q.kind, "question": asked})
    return Answer(question=asked, verdict=Verdict.NOT_FOUND, summary=summary_for(q, Verdict.NOT_FOUND, []),
                  kind=q.kind)


def _yesno(q: Question, candidates: list[Candidate]) -> Answer | None:
    judged: list[tuple[Candidate, Judgement]] = []
    aliases = aliases_of({id(c.analysis): c.analysis for c in candidates}.values())
    for c in candidates:
        j = judge_yesno(q, c.analysis, c.sentence, c.evidence.article.title, c.title_terms, aliases)
        if j is not None:  # the judgement may read the sentence as the outlet's report
            judged.append((replace(c, sentence=j.sentence), j))
    if q.asked_of:  # "Did Zelensky say …?": every speaker's side on the claim, the asked one's answering
        return said_by_answer(q, [(stance, [found(c) for c, _ in members]) for stance in (Stance.SUPPORTS, Stance.REFUTES)
                                  for members in _group_by_speaker([(c, j) for c, j in judged if j.stance is stance])])
    book = CitationBook()
    sides = []
    for stance in (Stance.SUPPORTS, Stance.REFUTES):
        groups = _group_by_speaker([(c, j) for c, j in judged if j.stance is stance])
        for members in groups[:MAX_SIDES_PER_STANCE]:
            sides.append(side_for(q, stance, [found(c) for c, _ in members], book))
    stances = {s.stance for s in sides}
    if Stance.SUPPORTS in stances and Stance.REFUTES in stances:
        verdict = Verdict.CONTESTED
    elif Stance.SUPPORTS in stances:
        verdict = Verdict.SUPPORTED
    elif Stance.REFUTES in stances:
        verdict = Verdict.REFUTED
    else:
        context = sorted(((c, j) for c, j in judged if j.stance is Stance.CONTEXT),
                         key=lambda cj: (-cj[1].own_coverage, cj[0].rank))
        if not context:
            return None
        verdict = Verdict.CONTEXT
        for members in _group_by_speaker(context[:4])[:2]:
            sides.append(side_for(q, Stance.CONTEXT, [found(c) for c, _ in members[:2]], book))
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides),
                  sides=sides, citations=book.citations)


def _group_by_speaker(judged: list[tuple[Candidate, Judgement]]) -> list[list[tuple[Candidate, Judgement]]]:
    groups: dict[str, list[tuple[Candidate, Judgement]]] = defaultdict(list)
    for c, j in judged:
        key = c.sentence.attribution.key or f"outlet:{c.evidence.article.publisher or c.evidence.article.id}"
        groups[key].append((c, j))
    ordered = sorted(groups.values(), key=lambda g: (-max(j.window_coverage for _, j in g), min(c.rank for c, _ in g)))
    return [sorted(sorted(g, key=lambda cj: (-cj[1].window_coverage, cj[0].rank))[:MAX_QUOTES_PER_SIDE],
                   key=lambda cj: (cj[0].evidence.article.id, cj[0].sentence.start)) for g in ordered]


def _open(q: Question, candidates: list[Candidate]) -> Answer | None:
    scored = []
    speaker = _asked_speaker(q.text)
    for c in candidates:
        if speaker and not speaker <= _speaker_terms(c):
            continue  # "What did the engine maker say?": only what the engine maker says
        own = coverage(q, c.sentence.terms)
        window = window_terms(c.analysis, c.sentence, c.title_terms)
        names = names_context(c.analysis, c.sentence)
        if own >= OPEN_MIN_COVERAGE and numbers_present(q, window) and states_all_qualifiers(q, c.sentence.terms, names):
            scored.append((c, own))
    if not scored:
        return None
    scored.sort(key=lambda x: (-x[1], x[0].rank))
    best = scored[0][1]
    answering = best >= OPEN_ANSWER_COVERAGE
    stance = Stance.SUPPORTS if answering else Stance.CONTEXT
    book = CitationBook()
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c, _ in scored[:MAX_QUOTES_PER_SIDE * 2]:
        key = c.sentence.attribution.key or f"outlet:{c.evidence.article.publisher or c.evidence.article.id}"
        if len(groups) < MAX_SIDES_PER_STANCE or key in groups:
            groups[key].append(c)
    why = q.text.lower().startswith("why ")
    sides = [side_for(q, stance, [f for c in g for f in [found(c), *(_reasons(c) if why else [])]][:MAX_QUOTES_PER_SIDE],
                      book) for g in groups.values()]
    verdict = Verdict.SUPPORTED if answering else Verdict.CONTEXT
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides),
                  sides=sides, citations=book.citations)


_SAID = re.compile(r"(?i)^what (?:did|does|do|has|have) (.+?) (?:say|tell|told|announce|claim|write|allege|argue|"
                   r"report|reply|respond)\b")


def _asked_speaker(question: str) -> frozenset[str]:
    """The terms of the source "What did <source> say?" asks about; empty for other questions."""
    m = _SAID.match(question)
    return frozenset(term(t.text) for t in tokens(m.group(1)) if not is_stopword(t.text)) if m else frozenset()


def _speaker_terms(c: Candidate) -> set[str]:
    """Words the sentence's speaker goes by: its name, its role, every name the article gives it."""
    a = c.sentence.attribution
    return {term(w) for w in f"{a.speaker or ''} {a.role or ''}".split()} | set(c.analysis.name_terms.get(a.key or "", ()))


_REASON = re.compile(r"\b(?:because|reason|due to|owing to|as a result|in order to|so that)\b", re.IGNORECASE)


def _reasons(c: Candidate, ahead: int = 2) -> list[Found]:
    """For "Why …?": the next sentences of the paragraph that give a reason ("because Ukraine was the first …")."""
    out = []
    for o in c.analysis.sentences[c.sentence.index + 1 : c.sentence.index + 1 + ahead]:
        if o.paragraph != c.sentence.paragraph:
            break
        if _REASON.search(o.text) and not is_tainted(c.evidence.article.text, o.start, o.end):
            out.append(Found(article=c.evidence.article, analysis=c.analysis, sentence=o))
    return out
