"""Yes/no questions that ask whether a person holds a role: "Is Eismont Lukashenko's press secretary?".

Such a question has no verb for a sentence to state, so read as a claim it
finds only context. It is the value question "Who is Lukashenko's press
secretary?" with a name to check: a source that names the asked person as the
holder supports it; for a role one person holds ("the governor of …",
"Lukashenko's press secretary"), a source that names someone else refutes it.
For "a spokesman for …" another holder says nothing against the asked one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsbot.engine.attribution import ROLE_TERMS
from newsbot.engine.question import Question
from newsbot.engine.wording import CitationBook, summary_for
from newsbot.models import Answer, Side, Stance, Verdict
from newsbot.text import term, tokens

#: "Is|Was <Name, capitalised words> <role phrase>?" — the name stops before a possessive ("Lukashenko's").
_IDENTITY_RE = re.compile(
    r"^(?P<be>[Ii]s|[Ww]as)\s+(?P<name>(?:[A-Z][\w.\-]*(?<![’']s)\s+){0,3}?[A-Z][\w.\-]*(?<![’']s))\s+"
    r"(?P<role>(?:the|a|an|[A-Z][\w.\-]*[’']s)\s.+?)[\s?!.]*$"
)


@dataclass(frozen=True)
class Identity:
    """The person asked about, the role, and whether only one person holds that role."""

    name: str
    role: str
    be: str
    sole: bool


def identity_question(text: str) -> Identity | None:
    """The parts of "Is <name> <role>?", or None when the question is not of that form or names no role."""
    m = _IDENTITY_RE.match(text.strip())
    if m is None or not any(term(t.text) in ROLE_TERMS for t in tokens(m.group("role"))):
        return None
    role = m.group("role")
    return Identity(name=m.group("name"), role=role, be=m.group("be").lower(),
                    sole=not role.lower().startswith(("a ", "an ")))


def identity_answer(q: Question, who_holds: Callable[[str], Answer | None]) -> Answer | None:
    """The yes/no answer from the sources' answers to "Who is <role>?" (``who_holds``), or None."""
    asked = identity_question(q.text)
    if asked is None:
        return None
    held = who_holds(f"Who {asked.be} {asked.role}?")
    if held is None:
        return None
    name_terms = {term(t.text) for t in tokens(asked.name)}
    surname = term(tokens(asked.name)[-1].text)
    by_number = {c.n: c for c in held.citations}
    book = CitationBook()
    sides: list[Side] = []
    for side in held.sides:
        value_terms = {term(t.text) for t in tokens(side.answer or "")}
        same = surname in value_terms or bool(value_terms) and value_terms <= name_terms
        if not same and not asked.sole:
            continue  # one of several spokesmen named says nothing against another
        head = side.text.split(": ", 1)[0]
        claim = f"{asked.name if same else side.answer} {asked.be} {asked.role}"
        sides.append(Side(stance=Stance.SUPPORTS if same else Stance.REFUTES, speaker=side.speaker,
                          text=f"{head}: {claim}", audience=side.audience, when=side.when,
                          citations=[book.cite_citation(by_number[n]) for n in side.citations]))
    stances = {s.stance for s in sides}
    if not stances:
        return None
    verdict = Verdict.CONTESTED if len(stances) == 2 else \
        Verdict.SUPPORTED if Stance.SUPPORTS in stances else Verdict.REFUTED
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides), sides=sides,
                  citations=book.citations)

