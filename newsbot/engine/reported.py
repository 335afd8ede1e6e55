"""Whether one source holds a claim: "Did Zelensky say Lukashenko apologized?", "Did Eismont deny it?".

The claim is judged sentence by sentence as for any yes/no question; then the
sides are split by who holds them. The asked source's own sides answer the
question (it says so: supported; it says the opposite: refuted). Everyone
else's sides stay in the answer as context, worded as what each of them holds,
so the user sees that the claim itself is disputed. If the sources never quote
the asked source on it, the answer says so and shows who does speak to it.
"""

from __future__ import annotations

import re

from newsbot.engine.question import Question
from newsbot.engine.wording import (
    CitationBook,
    Found,
    name_of,
    refs,
    says,
    side_for,
    statement_of,
)
from newsbot.models import Answer, Side, Stance, Verdict
from newsbot.text import term

#: Sides for each stance on the claim: each a list of one speaker's sentences.
Held = list[tuple[Stance, list[Found]]]


def is_asked_source(q: Question, found: list[Found]) -> bool:
    """The sentences' speaker (or, for the outlet's own reporting, the publisher) is the source asked about.

    By name ("Zelensky") or by all the words the question describes it with ("the Ukrainian president",
    "Lukashenko's press secretary": the role the article gives Eismont).
    """
    f = found[0]
    attr = f.sentence.attribution
    if attr.key:
        words = set(f.analysis.name_terms.get(attr.key, frozenset({attr.key})))
        words |= {term(w) for w in (attr.speaker or "").split()}  # "the town hall" speaks as written
        for s in f.analysis.sentences:
            if s.attribution.key == attr.key and s.attribution.role:
                words |= {term(w) for w in s.attribution.role.split()}
        if q.asked_of <= _COMPANY and _COMPANY_NAME.search(attr.speaker or ""):
            return True  # "Did the company say …?" of "Norvik Chemicals said …"
        return attr.key in q.asked_of or q.asked_of <= words
    return q.asked_of <= {term(w) for w in (f.article.publisher or "").split()}


_COMPANY = frozenset(term(w) for w in ("company", "firm"))
_COMPANY_NAME = re.compile(r"\b(?:Inc|Ltd|LLC|Corp|Corporation|Co|Plc|Group|Holdings|Chemicals|Industries|Motors|"
                           r"Airlines|Airways|Energy|Pharmaceuticals|Technologies|Systems|Foods|Bank)\b\.?$")


def said_by_answer(q: Question, held: Held) -> Answer | None:
    """The answer to "Did <source> say <claim>?" from every speaker's side on the claim; None if no side."""
    if not held:
        return None
    wanted = Stance.REFUTES if q.asks_denial else Stance.SUPPORTS
    asked = [is_asked_source(q, found) for _, found in held]
    theirs = [side for side, is_theirs in zip(held, asked, strict=True) if is_theirs]
    others = [side for side, is_theirs in zip(held, asked, strict=True) if not is_theirs]
    book = CitationBook()
    sides: list[Side] = []
    answering = [(st, fs) for st, fs in theirs if st is wanted] or theirs
    for stance, found in answering:
        bearing = Stance.SUPPORTS if stance is wanted else Stance.REFUTES
        sides.append(side_for(q, bearing, found, book, holds=stance))
    for stance, found in others:
        sides.append(side_for(q, Stance.CONTEXT, found, book, holds=stance))
    if not answering:
        verdict = Verdict.CONTEXT
    else:
        verdict = Verdict.SUPPORTED if answering[0][0] is wanted else Verdict.REFUTED
    held_by_source = {st for st, _ in answering}
    return Answer(question=q.text, verdict=verdict, sides=sides, citations=book.citations,
                  summary=_summary(q, verdict, sides, disputed=any(st not in held_by_source for st, _ in others)))


def _summary(q: Question, verdict: Verdict, sides: list[Side], *, disputed: bool) -> str:
    answer = [s for s in sides if s.stance is not Stance.CONTEXT]
    context = [s for s in sides if s.stance is Stance.CONTEXT]
    parts, rest = ("; ".join(f"{name_of(s)} {says(s)} {statement_of(s)} {refs(s)}" for s in group)
                   for group in (answer, context))
    if verdict is Verdict.CONTEXT:
        return f"The sources do not quote {q.asked_source} on whether {q.affirmative}. Who speaks to it: {rest}."
    lead = "Supported by the sources" if verdict is Verdict.SUPPORTED else "Refuted by the sources"
    if not rest:
        return f"{lead}: {parts}."
    return f"{lead}: {parts}. {'The claim itself is disputed' if disputed else 'Also'}: {rest}."

