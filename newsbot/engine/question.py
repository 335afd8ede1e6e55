"""Reading a question: what kind it is, what it asks for, which terms matter.

Three kinds: ``yesno`` ("Did Lukashenko apologize?") asks whether a claim
holds, so sentences take sides on it; ``value`` ("Who acquired Instagram?",
"Super Bowl 2021 location") asks for a person, place, date or amount, so
sentences that give different values disagree; ``open`` asks anything else,
answered with the passages that bear on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from newsbot.text import is_stopword, term, tokens

Kind = Literal["yesno", "value", "open"]
AnswerType = Literal["person", "place", "date", "money", "number", "entity"]

_AUX = frozenset(
    "did does do is are was were has have had can could will would should may might must shall".split()
)
_WH = frozenset("who whom whose what which when where why how".split())
_LEADS = re.compile(
    r"^(?:is it (?:true|the case|correct|right) that|is it true|do (?:the )?sources say that|"
    r"did anyone say that|tell me whether|tell me if|i heard that|did it happen that)\s+",
    re.IGNORECASE,
)
#: Words that name the kind of answer rather than its content.
_TYPE_WORDS: dict[str, AnswerType] = {
    "location": "place", "where": "place", "city": "place", "country": "entity", "place": "place",
    "venue": "place", "date": "date", "when": "date", "year": "date", "day": "date",
    "revenue": "money", "price": "money", "cost": "money", "worth": "money", "valuation": "money",
    "who": "person", "whom": "person", "whose": "person", "winner": "person", "director": "person",
    "champion": "person",
    "team": "entity", "company": "entity", "nation": "entity",
}
_NON_CONTENT = frozenset(
    "location date year day time place name happen country city team company nation venue".split()
)


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
        text = _recase(text, proper_terms)
    body = _LEADS.sub("", _question_part(text).rstrip("?!. ")).strip()
    toks = tokens(body)
    words = [t.text for t in toks]
    first = words[0].lower() if words else ""
    led_by_claim = body != text.rstrip("?!. ").strip()
    kind: Kind
    if led_by_claim or first in _AUX:
        kind = "yesno"
    elif first in _WH:
        kind = "open"
    else:
        kind = "open"

    answer_type = _answer_type([w.lower() for w in words])
    if kind == "open" and answer_type is not None:
        kind = "value"

    verb_start = 0
    if kind == "yesno":
        words_all = body.split()
        at = _verb_index(words_all[1:] if not led_by_claim else words_all)
        if at is not None:
            offset = 1 if not led_by_claim else 0
            verb_start = len(" ".join(words_all[: at + offset]))
    entities: set[str] = set()
    numbers: set[str] = set()
    content: set[str] = set()
    weights: dict[str, float] = {}
    predicate: str | None = None
    subject: str | None = None
    focus: str | None = None
    for i, tok in enumerate(toks):
        low = tok.text.lower()
        if i == 0 and (low in _AUX or low in _WH):
            continue
        if is_stopword(tok.text) or low in _NON_CONTENT:
            continue
        t = term(tok.text)
        if not t:
            continue
        content.add(t)
        if any(ch.isdigit() for ch in tok.text):
            numbers.add(t)
            weights[t] = 2.0
        elif tok.is_capitalized and (i > 0 or led_by_claim or first not in _WH | _AUX):
            entities.add(t)
            weights[t] = 2.0
            if subject is None or kind == "yesno" and tok.start < verb_start:
                subject = t  # the head of the subject phrase: its last name before the verb
        else:
            weights.setdefault(t, 1.0)
            if predicate is None and kind == "yesno" and tok.start >= verb_start:
                predicate = t
            if focus is None:
                focus = t

    name_heads = _name_heads(toks, entities)
    if kind == "value" and answer_type == "person" and content and content <= entities:
        kind = "open"  # "Who is Natalya Eismont?" asks what the sources say of her, not for another name
    affirmative = negative = None
    if kind == "yesno":
        affirmative, negative = _claim_statements(body if not led_by_claim else "", body if led_by_claim else "")
    return Question(
        text=text,
        kind=kind,
        answer_type=answer_type if kind == "value" else None,
        entities=frozenset(entities),
        numbers=frozenset(numbers),
        content=frozenset(content),
        predicate=predicate,
        focus=focus,
        name_heads=name_heads,
        subject=subject,
        affirmative=affirmative,
        negative=negative,
        weights=weights,
    )


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


def _question_part(text: str) -> str:
    """The question inside a chat message: "hey, did Lukashenko apologize?" -> "did Lukashenko apologize?".

    A clause after a comma, colon or sentence end that opens with a question word wins; so does a
    capitalised question word a few words in ("Anna Did …"). A question that opens the message is kept whole.
    """
    words = text.split()
    if not words or words[0].lower().strip(",:;!") in _AUX | _WH:
        return text
    for m in re.finditer(r"[,:;!?.…—-]\s+", text):
        rest = text[m.end():]
        first = rest.split()[0].lower() if rest.split() else ""
        if first in _AUX | _WH:
            return rest
    for i, word in enumerate(words[1:5], 1):
        if word[:1].isupper() and word.lower() in _AUX | _WH:
            return " ".join(words[i:])
    return text


def _recase(text: str, proper_terms: frozenset[str]) -> str:
    out = []
    for i, word in enumerate(text.split(" ")):
        core = word.strip("?!.,;:")
        if i > 0 and core[:1].islower() and not is_stopword(core) and term(core) in proper_terms:
            word = word.replace(core, core[:1].upper() + core[1:], 1)
        out.append(word)
    return " ".join(out)


def _answer_type(words: list[str]) -> AnswerType | None:
    if not words:
        return None
    joined = " ".join(words)
    if joined.startswith(("how much", "for how much")) or words[-1:] == ["for"] and "much" in words:
        return "money"
    if joined.startswith("how many"):
        return "number"
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


_PAST = {"win": "won", "buy": "bought", "sell": "sold", "say": "said", "tell": "told", "take": "took",
         "make": "made", "give": "gave", "go": "went", "come": "came", "meet": "met", "pay": "paid",
         "lead": "led", "hold": "held", "begin": "began", "run": "ran", "lose": "lost", "leave": "left",
         "find": "found", "think": "thought", "bring": "brought", "fight": "fought", "strike": "struck",
         "hit": "hit", "put": "put", "know": "knew", "see": "saw", "write": "wrote", "speak": "spoke"}


def _past(verb: str) -> str:
    v = verb.lower()
    if v in _PAST:
        return _PAST[v]
    if v.endswith("e"):
        return verb + "d"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


_DETERMINERS = frozenset("the a an this that these those his her its their".split())
_ROLES = frozenset(
    """president minister secretary spokesperson spokesman spokeswoman leader chancellor king queen prince
    premier governor mayor general ceo chief head senator ambassador""".split()
)


def _verb_index(rest: list[str]) -> int | None:
    """Index of the claim's verb in the words after the auxiliary ("Belarus's president Lukashenko apologize")."""
    for i, w in enumerate(rest):
        low = w.lower().strip(",.")
        if not w[:1].islower() or low in _DETERMINERS:
            continue
        if low in _ROLES and i + 1 < len(rest) and rest[i + 1][:1].isupper():
            continue
        if i > 0 and rest[i - 1].lower() in _DETERMINERS and i + 1 < len(rest):
            continue  # "the minister" is the subject, the verb comes after it
        return i
    return None


def _claim_statements(question_body: str, claim_body: str) -> tuple[str | None, str | None]:
    """("Lukashenko apologized", "Lukashenko did not apologize") for "Did Lukashenko apologize"."""
    if claim_body:
        return claim_body, f"it is not so that {claim_body}"
    words = question_body.split()
    if len(words) < 2:
        return None, None
    aux, rest = words[0].lower(), words[1:]
    if rest[0].lower() == "there" and aux in ("is", "are", "was", "were"):
        return " ".join(["there", aux, *rest[1:]]), " ".join(["there", aux, "not", *rest[1:]])
    verb_at = _verb_index(rest)
    if aux in ("did", "does", "do") and verb_at is not None:
        subj, verb, tail = rest[:verb_at], rest[verb_at], rest[verb_at + 1 :]
        if not subj:
            return None, None
        if aux == "did":
            aff = " ".join([*subj, _past(verb), *tail])
            neg = " ".join([*subj, "did not", verb, *tail])
        else:
            aff = " ".join([*subj, verb + ("s" if aux == "does" else ""), *tail])
            neg = " ".join([*subj, aux + " not", verb, *tail])
        return aff, neg
    if aux in ("is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would") and verb_at:
        subj, tail = rest[:verb_at], rest[verb_at:]
        return " ".join([*subj, aux, *tail]), " ".join([*subj, aux, "not", *tail])
    return None, None
