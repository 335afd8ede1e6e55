"""Reading a question: what kind it is, what it asks for, which terms matter.

Three kinds: ``yesno`` ("Did Lukashenko apologize?") asks whether a claim
holds, so sentences take sides on it; ``value`` ("Who acquired Instagram?",
"Super Bowl 2021 location") asks for a person, place, date or amount, so
sentences that give different values disagree; ``open`` asks anything else,
answered with the passages that bear on it.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from newsbot.engine.claim import affirm, claim_statements, verb_index
from newsbot.engine.framing import unframe
from newsbot.engine.question_text import AUX, WH, question_part, recase, uncontract
from newsbot.engine.speech import ROLE_TERMS
from newsbot.text import is_stopword, term, term_at, tokens

Kind = Literal["yesno", "value", "open"]
AnswerType = Literal["person", "place", "date", "money", "number", "entity"]

_NEGATORS = frozenset("not never".split())
#: Words that name the kind of answer rather than its content.
_TYPE_WORDS: dict[str, AnswerType] = {
    "location": "place", "where": "place", "city": "place", "country": "entity", "place": "place",
    "venue": "place", "date": "date", "when": "date", "year": "date", "day": "date", "time": "date",
    "revenue": "money", "price": "money", "cost": "money", "worth": "money", "valuation": "money",
    "who": "person", "whom": "person", "whose": "person", "winner": "person", "director": "person",
    "champion": "person",
    "team": "entity", "company": "entity", "nation": "entity", "percentage": "number", "percent": "number",
}
_NON_CONTENT = frozenset(
    "location date year day time place name happen country city team company nation venue percentage percent old long"
    .split()
)
_NON_CONTENT_TERMS = frozenset(term(w) for w in _NON_CONTENT)


@dataclass(frozen=True)
class Question:
    """A question reduced to what matching and stance need."""

    text: str
    kind: Kind
    answer_type: AnswerType | None
    entities: frozenset[str]  # terms of proper names (Lukashenko, Instagram)
    numbers: frozenset[str]  # number terms that must appear (2021, q1, 2)
    content: frozenset[str]  # every content term, entities and numbers included
    predicate: str | None = None  # yes/no: the main verb or adjective of the claim
    focus: str | None = None  # value: the relation asked about ("won", "released", "director")
    name_heads: frozenset[str] = frozenset()  # last word of each name ("Valhalla" of "Assassin's Creed Valhalla")
    subject: str | None = None  # yes/no: the first proper name (who did it)
    objects: frozenset[str] = frozenset()  # yes/no: heads of the names after the verb ("apologize to Putin")
    tail: frozenset[str] = frozenset()  # yes/no: the other content words after the verb ("offer refunds")
    counted: str | None = None  # "How many people …": what is counted ("peopl"); a source may say "workers"
    subject_terms: frozenset[str] = frozenset()  # yes/no: the words before the verb ("latvian", "presid")
    negated: bool = False  # yes/no: the claim denies its predicate ("Didn't Lukashenko apologize?")
    asked_of: frozenset[str] = frozenset()  # yes/no: the source asked about ("Did Zelensky say …?"), its terms
    asks_denial: bool = False  # yes/no: whether that source denies the claim ("Did Eismont deny …?")
    asked_source: str | None = None  # yes/no: that source as the question names it ("Zelensky")
    affirmative: str | None = None  # yes/no: the claim as a statement
    negative: str | None = None  # yes/no: its negation
    weights: dict[str, float] = field(default_factory=dict)

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values()) or 1.0


def analyze(question: str, proper_terms: frozenset[str] = frozenset()) -> Question:
    """Parse ``question`` into a :class:`Question`.

    ``proper_terms`` are terms the evidence writes as names; a question typed
    in lower case ("did lukashenko apologize") gets those words recased.
    """
    text = " ".join(question.strip().split())
    if proper_terms:
        text = recase(text, proper_terms)
    plain = uncontract(text)
    framed = unframe(question_part(plain).rstrip("?!. "))
    body = framed.body
    led_by_claim = body != plain.rstrip("?!. ").strip()
    stated, negated, spaced = body, False, body.split()
    if led_by_claim or spaced[:1] and spaced[0].lower() in AUX:
        clause = next((i for i, w in enumerate(spaced) if w.lower() in ("that", "whether", "if")), len(spaced))
        kept = [w for w in spaced[:clause] if w.lower() not in _NEGATORS] + spaced[clause:]  # "Did he learn
        # that she did not …?" asks whether he learned it: the negation is the reported clause's own
        negated, body = len(kept) < len(spaced), " ".join(kept)  # "Didn't he …?" asks "Did he …?" turned
    toks = tokens(body)
    words = [t.text for t in toks]
    first = words[0].lower() if words else ""
    kind: Kind
    if led_by_claim or first in AUX:
        kind = "yesno"
    elif first in WH:
        kind = "open"
    else:
        kind = "open"

    answer_type = _answer_type([w.lower() for w in words])
    if kind == "open" and answer_type is not None:
        kind = "value"

    verb_start = 0
    verbless = False  # "Are the missiles Russian?": no word reads as the claim's verb, so no sentence states it
    if kind == "yesno":
        words_all = body.split()
        at = verb_index(words_all[1:] if not led_by_claim else words_all, "" if led_by_claim else words_all[0])
        verbless = at is None
        if at is not None:
            offset = 1 if not led_by_claim else 0
            verb_start = len(" ".join(words_all[: at + offset]))
    entities: set[str] = set()
    numbers: set[str] = set()
    content: set[str] = set()
    weights: dict[str, float] = {}
    predicate: str | None = None
    subject: str | None = None
    subject_terms: set[str] = set()
    focus: str | None = None
    after_verb: set[str] = set()  # yes/no: names the claim puts after its verb ("apologize to Putin")
    tail: set[str] = set()  # yes/no: other words after the verb ("refunds")
    for i, tok in enumerate(toks):
        low = tok.text.lower()
        if i == 0 and (low in AUX or low in WH):
            continue
        if is_stopword(tok.text) or low in _NON_CONTENT or term(low) in _NON_CONTENT_TERMS:  # "happened"
            continue
        t = term_at(toks, i)  # "step down" is "resign"
        if not t:
            continue
        content.add(t)
        if kind == "yesno" and verb_start and tok.start < verb_start:
            subject_terms.add(t)  # "the Latvian president": who did it, in the question's words
        if any(ch.isdigit() for ch in tok.text) or t.isdigit():  # "nine", "third": numbers a source must state
            numbers.add(t)
            weights[t] = 2.0
        elif (tok.is_capitalized or _camel(tok.text)) and (i > 0 or led_by_claim or first not in WH | AUX) \
                and not (tok.text.isupper() and t in ROLE_TERMS):  # "CEO" is a role, not a name
            entities.add(t)
            weights[t] = 2.0
            if predicate is not None and toks[i - 1].text.lower() not in ("by", "from", "in", "at", "near", "on"):
                after_verb.add(t)  # not "an apology from Lukashenko" (who) nor "collapse in Velmar" (where)
            if (tok.start < verb_start) if kind == "yesno" and verb_start else subject is None:
                subject = t  # the head of the subject phrase: its last name before the verb (none in
                # "Were missiles launched from Belarus?": Belarus is where from, not who)
        else:
            weights.setdefault(t, 1.0)
            if predicate is not None and kind == "yesno":
                tail.add(t)  # "offer refunds": what the claim says after its verb
            if predicate is None and kind == "yesno" and tok.start >= verb_start and not verbless:
                predicate = t
            counted = answer_type == "number" and i == 2 and first == "how"  # "How many people were injured?"
            if focus is None and not re.search(r"[’']s$", tok.text) and not counted:
                focus = t  # "men's" in "men's year-end No 1" qualifies the relation; it is not it

    name_heads = _name_heads(toks, entities)
    if kind == "value" and answer_type == "person" and content and content <= entities:
        kind = "open"  # "Who is Natalya Eismont?" asks what the sources say of her, not for another name
    affirmative = negative = None
    if kind == "yesno":
        affirmative, negative = claim_statements(body if not led_by_claim else "", body if led_by_claim else "")
        if negated:  # the claim asked about is the negative one
            affirmative, negative = (stated, affirm(body)) if led_by_claim else (negative, affirmative)
    return Question(
        text=text,
        kind=kind,
        answer_type=answer_type if kind == "value" else None,
        entities=frozenset(entities),
        numbers=frozenset(numbers),
        content=frozenset(content),
        predicate=predicate,
        focus=_act_focus(toks, entities, numbers) or focus
        if kind == "value" and (answer_type == "date" or text.lower().startswith("how long")) else focus,
        name_heads=name_heads,
        objects=frozenset(after_verb & name_heads) if kind == "yesno" else frozenset(),
        tail=frozenset(tail),
        counted=term(words[2]) if answer_type == "number" and [w.lower() for w in words[:2]] == ["how", "many"]
        and len(words) > 2 else None,
        subject=subject,
        subject_terms=frozenset(subject_terms),
        negated=negated and kind == "yesno",
        asked_of=framed.asked_of if kind == "yesno" else frozenset(),
        asks_denial=framed.asks_denial and kind == "yesno",
        asked_source=framed.asked_source if kind == "yesno" else None,
        affirmative=affirmative,
        negative=negative,
        weights=weights,
    )


def _act_focus(toks: list, entities: set[str], numbers: set[str]) -> str | None:
    """"When will the plant reopen?", "How long did the strike last?": what a date or a length of time is
    asked of is the act, which ends the question."""
    for tok in reversed(toks):
        t = term(tok.text)
        if t and t not in entities and t not in numbers and not is_stopword(tok.text) \
                and tok.text.lower() not in _NON_CONTENT and tok.text.lower() not in WH | AUX:
            return t
    return None


def _camel(word: str) -> bool:
    """"iPhone", "eBay": a brand written in lower case first is still a name."""
    return word[:1].islower() and any(ch.isupper() for ch in word[1:])


_NAME_JOINERS = frozenset("of the and & de del du la le von van".split())


def _name_heads(toks: list, entities: set[str]) -> frozenset[str]:
    """Terms of the last word of each run of name words.

    A run goes on over joining words between name words, so "The Legend of
    Zelda: Breath of the Wild" has one head, "Wild" (sources shorten titles
    from the front: "Breath of the Wild").
    """
    heads: set[str] = set()
    run_last: str | None = None
    for i, tok in enumerate(toks):
        t = term(tok.text)
        if t in entities:
            run_last = t
            continue
        if run_last and tok.text.lower() in _NAME_JOINERS and _joins_name(toks, i, entities):
            continue
        if run_last:
            heads.add(run_last)
        run_last = None
    if run_last:
        heads.add(run_last)
    return frozenset(heads)


def _joins_name(toks: list, i: int, entities: set[str]) -> bool:
    """The joining words from ``i`` on are followed by a name word ("of the Wild")."""
    j = i
    while j < len(toks) and toks[j].text.lower() in _NAME_JOINERS:
        j += 1
    return j < len(toks) and term(toks[j].text) in entities


def _answer_type(words: list[str]) -> AnswerType | None:
    if not words:
        return None
    joined = " ".join(words)
    if joined.startswith(("how much", "for how much")) or words[-1:] == ["for"] and "much" in words:
        return "money"
    if joined.startswith(("how many", "how old", "how long")):
        return "number"  # "How old is Costa?" ← "Costa, 23,"; "How long is the contract?" ← "a five-year contract"
    if words[0] in ("when",) or "what year" in joined or "which year" in joined:
        return "date"
    if words[0] == "where":
        return "place"
    if words[0] in ("who", "whom", "whose"):
        return "person"
    if words[0] in ("which", "what") and len(words) > 1 and words[1] in _TYPE_WORDS:
        return _TYPE_WORDS[words[1]]
    for w in words:
        if w in ("date", "location", "revenue", "price", "cost", "winner", "director", "venue", "city", "champion"):
            return _TYPE_WORDS[w]
    if words[0] in ("what", "which") and re.search(r"\b(?:no\.? ?1|number one|world no)\b", joined):
        return "person"  # "What is women's year-end No 1 in tennis?" asks who holds the rank
    return None
