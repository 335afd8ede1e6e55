"""Which way a sentence that states the claim's act takes it: supports or refutes.

A negation governs its own sentence and clause ("did not apologize", "nothing to
apologize for"); a denial reports one ("denied that he apologized"); the opposite
act refutes ("rejected the deal" for "accept"); so do a rejected object ("caused by
a faulty seal, not a failed valve", "without bail"), a claim called false ("Reports
that … are simply wrong", "There is no truth in the suggestion that …", "An earlier
version … incorrectly said"), and a part where all was asked ("eight of the 12").
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from itertools import pairwise

from newsbot.engine.attribution import SentenceInfo
from newsbot.engine.claim import COPULAS
from newsbot.engine.question import Question
from newsbot.models import Stance
from newsbot.text import DENIALS, NUMBER_WORDS, Token, is_negation, term, term_at

NEGATION_WINDOW = 4


#: Verbs whose act rules out the other's, as terms: rejecting a deal is not accepting it.
_OPPOSITES: dict[str, frozenset[str]] = {}
for _a, _b in (("accept", "reject"), ("accept", "decline"), ("approve", "reject"), ("win", "lose"), ("rise", "fall"),
               ("rise", "decline"), ("increase", "decrease"), ("open", "close"), ("allow", "ban")):
    _OPPOSITES[term(_a)] = _OPPOSITES.get(term(_a), frozenset()) | {term(_b)}
    _OPPOSITES[term(_b)] = _OPPOSITES.get(term(_b), frozenset()) | {term(_a)}


def opposite_index(question: Question, s: SentenceInfo) -> int | None:
    """Where the sentence states the opposite of the claim's verb ("rejected" for "accept"), if it does."""
    opposites = _OPPOSITES.get(question.predicate or "", frozenset())
    return next((i for i in range(len(s.tokens)) if term_at(s.tokens, i) in opposites), None)


def polarity(question: Question, s: SentenceInfo, pred_at: int, *, opposite: bool = False) -> Stance:
    """SUPPORTS or REFUTES the claim asked about (turned round when the question denies: "Didn't he …?").

    ``opposite``: ``pred_at`` is the opposite verb's. Doing the opposite refutes the claim; not doing it
    ("did not reject the deal") leaves it open: context.
    """
    stance = _stated_polarity(question, s, pred_at)
    if opposite:
        if stance is Stance.REFUTES:
            return Stance.CONTEXT
        stance = Stance.REFUTES
    if question.negated:
        return Stance.REFUTES if stance is Stance.SUPPORTS else Stance.SUPPORTS
    return stance


_ARTICLES = frozenset("a an the".split())
_DECLINED = frozenset("declined declines decline failed fails fail".split())


def _governs(s: SentenceInfo, negation: Token, pred_at: int) -> bool:
    """A negation reaches the verb unless a comma closes the phrase it negates first: "Quill, who pleaded not
    guilty, plans to appeal" does not deny the appeal; "He did not, however, apologize" still denies."""
    gap = s.text[negation.end - s.start : s.tokens[pred_at].start - s.start]
    return "," not in gap or gap.lstrip().startswith(",")


def breaks_before(s: SentenceInfo, i: int) -> bool:
    """A full stop, question mark or semicolon between token ``i - 1`` and token ``i`` ("‘It was not me. Missiles …")."""
    gap = s.text[s.tokens[i - 1].end - s.start : s.tokens[i].start - s.start]
    return any(mark in gap for mark in ".!?;")


def _object_negated(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """"caused by a faulty seal, not a failed valve", "released Salcedo without bail": every word of what the
    claim puts after its verb stands, after the verb, in a phrase that "not", "no" or "without" opens (within
    three words)."""
    asked = question.content - question.subject_terms - {question.predicate} - question.entities
    later = [i for i in range(pred_at + 1, len(s.tokens)) if term(s.tokens[i].text) in asked]
    return bool(later) and all(any(t.text.lower() in ("not", "without", "no")
                                   for t in s.tokens[max(pred_at + 1, i - 3) : i]) for i in later)


def _partial(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """"Have all the aircraft been inspected?" ← "eight of the 12 aircraft had been inspected": only some;
    "Did most members back the offer?" ← "30% of members backed it": not most."""
    before = s.text[: s.tokens[pred_at].start - s.start]
    if re.search(r"\b(?:most|a majority of)\b", question.text, re.IGNORECASE):
        share = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)\s+of\b", before)
        return share is not None and float(share.group(1)) <= 50
    if not re.search(r"\b(?:all|every)\b", question.text, re.IGNORECASE):
        return False
    for m in re.finditer(r"\b(\w+) of (?:the |its |their )?(\w+)\b", before):
        part, whole = (_NUMBER.get(w.lower(), w.replace(",", "")) for w in (m.group(1), m.group(2)))
        if part.isdigit() and whole.isdigit() and int(part) < int(whole):
            return True
    return False


_NUMBER = NUMBER_WORDS | {"one": "1"}
_CLAIM_NOUNS = frozenset("report reports claim claims allegation allegations suggestion suggestions suggest rumour "
                         "rumours rumor rumors".split())
_WRONG = frozenset("wrong false untrue incorrect inaccurate baseless unfounded nonsense fake".split())


_NO_TRUTH = re.compile(r"\b(?:no truth (?:in|to)|(?:incorrectly|wrongly|erroneously|mistakenly|falsely)\s+(?:said|reported|"
                       r"stated|claimed|wrote|described)\b)", re.IGNORECASE)


def _called_wrong(s: SentenceInfo, pred_at: int) -> bool:
    """"Reports that fourteen workers were hospitalised are simply wrong", "There is no truth in the suggestion
    that …", "An earlier version of this story incorrectly said …": the claim is called false."""
    if _NO_TRUTH.search(s.text, 0, s.tokens[pred_at].start - s.start):
        return True
    words = [t.text.lower() for t in s.tokens]
    that = next((i for i in range(pred_at - 1, max(0, pred_at - 10), -1) if words[i] == "that"), None)
    if that is None or that == 0 or words[that - 1] not in _CLAIM_NOUNS:
        return False
    after = words[pred_at + 1 :]
    return any(w in COPULAS and any(v in _WRONG for v in after[k + 1 : k + 3]) for k, w in enumerate(after))


def _stated_polarity(question: Question, s: SentenceInfo, pred_at: int) -> Stance:
    start = max(0, pred_at - NEGATION_WINDOW)
    start = max([i + 1 for i in range(start, pred_at) if s.tokens[i].text.lower() in ("that", "whether")],
                default=start)  # "did not prove that it causes …": that "not" is not the causing's
    start = max([i for i in range(start + 1, pred_at + 1) if breaks_before(s, i)], default=start)
    start = max([i + 1 for i in range(start, pred_at) if s.tokens[i].text.lower() in ("but", "and", "or")],
                default=start)  # "did not resign but was dismissed": the "not" is the resigning's
    before = s.tokens[start:pred_at]  # a negation governs its own sentence, even inside one quotation
    if any(term(t.text) in question.numbers and any(is_negation(n.text) for n in s.tokens[max(0, i - 2) : i])
           for i, t in enumerate(s.tokens) if i > pred_at):
        return Stance.REFUTES  # "had lost $80 million last year, not $120 million as reported"
    if any(is_negation(t.text) and _governs(s, t, pred_at) for t in before):
        return Stance.REFUTES
    if _object_negated(question, s, pred_at) or _called_wrong(s, pred_at) or _partial(question, s, pred_at):
        return Stance.REFUTES
    after = [t.text.lower() for t in s.tokens[pred_at + 1 : pred_at + 3]]
    if after[:1] and after[0] in ("no", "nothing", "none") or after[1:] and after[0] in _ARTICLES and after[1] == "no":
        return Stance.REFUTES  # "They found no evidence of fraud": they did not find any
    if after[1:] and after[0] == "not" and term(after[1]) in question.content:
        return Stance.REFUTES  # "who pleaded not guilty" denies "Did Quill plead guilty?"
    if any(a.text.lower() in _DECLINED and b.text.lower() == "to" for a, b in pairwise([*before, s.tokens[pred_at]])):
        return Stance.REFUTES  # "Orbit declined to comment": it did not comment
    denied = any(t.text.lower() in DENIALS for t in s.tokens[:pred_at])
    if denied and question.predicate not in {term(d) for d in DENIALS}:
        return Stance.REFUTES
    return Stance.SUPPORTS
