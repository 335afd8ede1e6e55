"""What a question wraps around the claim it asks about, taken off before the claim is read.

"Is it true that …", "Do the sources say …" lead into the claim; "Who said …"
asks who holds it (answered as the claim, whose sides name who says and who
denies it); "Did Zelensky say …" asks whether one source holds it (answered
from that source's side, with everyone else's as context).
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.engine.described import DESCRIBED_RE
from newsbot.text import is_stopword, term

_LEADS = re.compile(
    r"^(?:is it (?:true|the case|correct|right) that|is it true|do (?:the )?sources say that|"
    r"did anyone say that|tell me whether|tell me if|i heard that|did it happen that|"
    r"(?:does|do|did) (?:the |any |this )?(?:articles?|stor(?:y|ies)|reports?|news|corpus|sources?|reporting) "
    r"(?:say|claim|report|state|show|confirm)(?: that)?)\s+",
    re.IGNORECASE,
)
#: "Who said Lukashenko apologized?" ("Who denied that …?") asks who holds a claim: answered as "Is it
#: true that …?", whose sides name who says it and who denies it.
_SAYER = re.compile(
    r"^who (?:has |have )?(?:said|says|claimed|claims|stated|states|alleged|alleges|reported|reports|insisted|"
    r"insists|denied|denies|disputed|disputes|told \w+(?: \w+)?(?= that\b))(?: that)?\s+",
    re.IGNORECASE,
)
#: "Did Zelensky say Lukashenko apologized?" asks whether one source holds a claim: the claim is judged
#: as usual, and that source's sentences answer (its "deny" asks whether it refutes the claim).
_SAID_BY = re.compile(
    r"^(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+(?P<verb>say|said|claim|claimed|state|stated|insist|"
    r"insisted|allege|alleged|confirm|confirmed|admit|admitted|deny|denied|report|reported|"
    r"tell\s+[^,]+?(?=\s+that\b)|told\s+[^,]+?(?=\s+that\b))(?:\s+that)?\s+(?P<claim>.+)$",
    re.IGNORECASE,
)
_DENY = frozenset("deny denied".split())
_FINITE = frozenset("is are was were has have had will would did does do can could".split())


@dataclass(frozen=True)
class Framed:
    """A question with its framing taken off."""

    body: str  # what is left: the claim after a lead or a source, or the question as it was
    asked_of: frozenset[str] = frozenset()  # "Did <source> say …": the terms that pick the source out
    asked_source: str | None = None  # that source as the question names it
    asks_denial: bool = False  # "Did <source> deny …": whether the source refutes the claim


def unframe(question: str) -> Framed:
    """Take the lead, the "Who said" or the "Did <source> say" off ``question`` (no "?" at its end)."""
    body = _LEADS.sub("", question).strip()
    said = _SAYER.match(body)
    if said and _states_something(body[said.end():]):
        body = body[said.end():]
    said_by = _SAID_BY.match(body)
    if not said_by or not _states_something(said_by["claim"]):
        return Framed(body)
    asked_of = _source_terms(said_by["who"])
    if not asked_of:
        return Framed(body)
    owner = re.match(r"(?:the\s+)?(.+?)[’']s\s", said_by["who"])  # "Lukashenko's aide said he …": Lukashenko
    claim = re.sub(r"^(?:he|she|they)\b", lambda _: owner[1] if owner else said_by["who"], said_by["claim"],
                   count=1, flags=re.IGNORECASE)  # "Did Zelensky say he confronted …": Zelensky confronted
    return Framed(claim, asked_of, said_by["who"], said_by["verb"].lower() in _DENY)


def _states_something(clause: str) -> bool:
    """``clause`` reads as a statement (a subject and a finite verb), not a noun ("who reported the story")."""
    words = [w.lower().strip(",.'\"") for w in clause.split()]
    return len(words) >= 2 and any(w in _FINITE or (w.endswith("ed") and len(w) > 4) for w in words[1:])


_SOURCE_ROLES = frozenset(
    """president minister secretary spokesperson spokesman spokeswoman leader chancellor official aide adviser
    advisor ministry office government kremlin ceo chief head ambassador analyst expert""".split()
)


def _source_terms(who: str) -> frozenset[str]:
    """Terms that pick out the source in "Did <who> say …": its name or role words, not an owner's name.

    "Lukashenko's press secretary" is {press, secretary}: Eismont, not Lukashenko. Empty when ``who``
    names no one ("the article", "it"), so "Does the article say …?" stays an ordinary question.
    """
    words = who.split()
    if not any(w[:1].isupper() or w.lower() in _SOURCE_ROLES for w in words) and not DESCRIBED_RE.fullmatch(who):
        return frozenset()  # "the town hall", "the union" are sources described, not named
    return frozenset(term(w) for w in words if not re.search(r"[’']s$", w) and not is_stopword(w) and term(w))
