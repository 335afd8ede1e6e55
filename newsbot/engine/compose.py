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
from dataclasses import dataclass, replace

from newsbot.engine.attribution import (
    ROLE_TERMS,
    ArticleAnalysis,
    Attribution,
    SentenceInfo,
    analyze_article,
)
from newsbot.engine.identity import identity_answer
from newsbot.engine.injection import is_tainted
from newsbot.engine.question import Question, analyze
from newsbot.engine.relevance import (
    alias_terms,
    coverage,
    head_coverage,
    heads_named,
    names_context,
    numbers_present,
    paragraph_terms,
    qualifiers_present,
    states_all_qualifiers,
    window_terms,
)
from newsbot.engine.reported import said_by_answer
from newsbot.engine.stance import Judgement, judge_yesno
from newsbot.engine.subject import aliases_of
from newsbot.engine.value_slot import confident
from newsbot.engine.values import Value, extract, parallel_conflict, same
from newsbot.engine.wording import (
    CitationBook,
    Found,
    in_outlet_frame,
    side_for,
    summary_for,
)
from newsbot.models import Answer, Evidence, Stance, Verdict
from newsbot.text import term, tokens

MAX_QUOTES_PER_SIDE = 3
MAX_SIDES_PER_STANCE = 3
VALUE_MIN_COVERAGE = 0.6
LOOSE_COVERAGE = 0.5
MIN_STATEMENT_TOKENS = 5
STRONG_COVERAGE = 0.8
OPEN_MIN_COVERAGE = 0.6
OPEN_ANSWER_COVERAGE = 0.75


@dataclass(frozen=True)
class _Candidate:
    evidence: Evidence
    analysis: ArticleAnalysis
    sentence: SentenceInfo
    rank: int
    title_terms: frozenset[str]


def compose(question: str, evidence: Sequence[Evidence]) -> Answer:
    """The balanced, cited answer to ``question`` from ``evidence`` (best first)."""
    candidates = _sentences(evidence)
    proper = _proper_terms(candidates)
    q = analyze(question, proper)
    asked = " ".join(question.split())  # shown as the user wrote it (the analysis recases names)
    if q.content and candidates:
        if q.kind == "yesno":  # "Is Eismont Lukashenko's press secretary?" asks who holds the role
            answer = identity_answer(q, lambda who: _value(analyze(who, proper), candidates)) or _yesno(q, candidates)
        elif q.kind == "value":
            answer = _value(q, candidates)  # no stated value: the corpus does not answer it
        else:
            answer = _open(q, candidates)
        if answer is not None:
            return answer.model_copy(update={"kind": q.kind, "question": asked})
    return Answer(question=asked, verdict=Verdict.NOT_FOUND, summary=summary_for(q, Verdict.NOT_FOUND, []),
                  kind=q.kind)


def _sentences(evidence: Sequence[Evidence]) -> list[_Candidate]:
    out: list[_Candidate] = []
    seen: set[tuple[str, int]] = set()
    for rank, ev in enumerate(evidence):
        analysis = analyze_article(ev.article.text)
        title_terms = frozenset(term(t.text) for t in tokens(ev.article.title))
        for s in analysis.within(ev.chunk.start, ev.chunk.end):
            if (ev.article.id, s.start) in seen or is_tainted(ev.article.text, s.start, s.end):
                continue  # a planted instruction ("ignore previous instructions …") is never evidence
            seen.add((ev.article.id, s.start))
            out.append(_Candidate(ev, analysis, s, rank, title_terms))
    return out


def _proper_terms(candidates: list[_Candidate]) -> frozenset[str]:
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


def _yesno(q: Question, candidates: list[_Candidate]) -> Answer | None:
    judged: list[tuple[_Candidate, Judgement]] = []
    aliases = aliases_of({id(c.analysis): c.analysis for c in candidates}.values())
    for c in candidates:
        j = judge_yesno(q, c.analysis, c.sentence, c.evidence.article.title, c.title_terms, aliases)
        if j is not None:  # the judgement may read the sentence as the outlet's report
            judged.append((replace(c, sentence=j.sentence), j))
    if q.asked_of:  # "Did Zelensky say …?": every speaker's side on the claim, the asked one's answering
        return said_by_answer(q, [(stance, [_found(c) for c, _ in members]) for stance in (Stance.SUPPORTS, Stance.REFUTES)
                                  for members in _group_by_speaker([(c, j) for c, j in judged if j.stance is stance])])
    book = CitationBook()
    sides = []
    for stance in (Stance.SUPPORTS, Stance.REFUTES):
        groups = _group_by_speaker([(c, j) for c, j in judged if j.stance is stance])
        for members in groups[:MAX_SIDES_PER_STANCE]:
            sides.append(side_for(q, stance, [_found(c) for c, _ in members], book))
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
            sides.append(side_for(q, Stance.CONTEXT, [_found(c) for c, _ in members[:2]], book))
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides),
                  sides=sides, citations=book.citations)


def _group_by_speaker(judged: list[tuple[_Candidate, Judgement]]) -> list[list[tuple[_Candidate, Judgement]]]:
    groups: dict[str, list[tuple[_Candidate, Judgement]]] = defaultdict(list)
    for c, j in judged:
        key = c.sentence.attribution.key or f"outlet:{c.evidence.article.publisher or c.evidence.article.id}"
        groups[key].append((c, j))
    ordered = sorted(groups.values(), key=lambda g: (-max(j.window_coverage for _, j in g), min(c.rank for c, _ in g)))
    return [sorted(sorted(g, key=lambda cj: (-cj[1].window_coverage, cj[0].rank))[:MAX_QUOTES_PER_SIDE],
                   key=lambda cj: (cj[0].evidence.article.id, cj[0].sentence.start)) for g in ordered]


def _found(c: _Candidate, value: Value | None = None) -> Found:
    sentence = c.sentence
    if value is not None and in_outlet_frame(sentence, value.start, value.end):
        sentence = replace(sentence, attribution=Attribution())
    return Found(article=c.evidence.article, analysis=c.analysis, sentence=sentence, value=value)


def _value(q: Question, candidates: list[_Candidate]) -> Answer | None:
    # Loose: the passage around the sentence is about the question. Enough for two near-identical
    # sentences that differ only in the value to count as a disagreement.
    loose: list[tuple[_Candidate, float, bool]] = []
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
        sides.append(side_for(q, Stance.SUPPORTS, [_found(relevant[i][0], chosen[i]) for i in members], book))
    verdict = Verdict.CONTESTED if rivals else Verdict.SUPPORTED
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides),
                  sides=sides, citations=book.citations)


def _lead(c: _Candidate, sentences: int = 3) -> list[str]:
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


def _open(q: Question, candidates: list[_Candidate]) -> Answer | None:
    scored = []
    for c in candidates:
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
    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for c, _ in scored[:MAX_QUOTES_PER_SIDE * 2]:
        key = c.sentence.attribution.key or f"outlet:{c.evidence.article.publisher or c.evidence.article.id}"
        if len(groups) < MAX_SIDES_PER_STANCE or key in groups:
            groups[key].append(c)
    why = q.text.lower().startswith("why ")
    sides = [side_for(q, stance, [f for c in g for f in [_found(c), *(_reasons(c) if why else [])]][:MAX_QUOTES_PER_SIDE],
                      book) for g in groups.values()]
    verdict = Verdict.SUPPORTED if answering else Verdict.CONTEXT
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides),
                  sides=sides, citations=book.citations)


_REASON = re.compile(r"\b(?:because|reason|due to|owing to|as a result|in order to|so that)\b", re.IGNORECASE)


def _reasons(c: _Candidate, ahead: int = 2) -> list[Found]:
    """For "Why …?": the next sentences of the paragraph that give a reason ("because Ukraine was the first …")."""
    out = []
    for o in c.analysis.sentences[c.sentence.index + 1 : c.sentence.index + 1 + ahead]:
        if o.paragraph != c.sentence.paragraph:
            break
        if _REASON.search(o.text) and not is_tainted(c.evidence.article.text, o.start, o.end):
            out.append(Found(article=c.evidence.article, analysis=c.analysis, sentence=o))
    return out
