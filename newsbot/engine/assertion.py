"""Whether a sentence asserts its predicate at all, before asking which way.

A sentence can name the act asked about without saying that it happened: a
hedge ("was likely to rise", "is believed to have been started by", "reportedly
skipped"), a call for it ("called for Salcedo to resign"), a refusal or an
inability to say ("declined to say whether …", "it was not immediately clear
whether …"), a negated verb of knowing ("did not prove that it causes"), a
condition ("if the fire crossed Highway 1", "until every one has been
inspected"), a retracted report ("An earlier version of this story said …"),
or another time than the question's ("would be reopened" for "Was the mine
reopened?", "were closed on Tuesday" for "Will more wards be closed?"). Such a
sentence is context: it neither supports nor refutes.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re

from newsbot.engine.attribution import SentenceInfo
from newsbot.engine.question import Question
from newsbot.text import is_negation, term, tokens


def asserted(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """True unless the sentence only hedges, calls for, conditions, retracts or time-shifts the predicate."""
    return not (_hedged(question, s, pred_at) or _under_negated_verb(s, pred_at) or _called_for(question, s, pred_at)
                or _conditional(question, s, pred_at) or _other_time(question, s, pred_at) or _left_open(question, s))


def _left_open(question: Question, s: SentenceInfo) -> bool:
    """"…, but it was not immediately clear whether the arrest was connected to the blaze": the sentence
    itself leaves open what the question asks (the open clause names what follows its act, or the act itself
    as the one already told: "the arrest")."""
    m = _UNSAID.search(s.text)
    if m is None:
        return False
    rest = tokens(s.text[m.end() :])
    return any(term(t.text) in question.tail or term(t.text) == question.predicate and i
               and rest[i - 1].text.lower() in ("the", "this", "that", "his", "her", "its", "their")
               for i, t in enumerate(rest))  # "the arrest" is the one asked about; "more arrests" are others


_HEDGES = frozenset("""likely unlikely expected may might could possibly probably perhaps considering weighing mulling
    exploring consider considers weigh weighs reportedly allegedly believed thought rumoured rumored suspected
    apparently purportedly supposedly""".split())
#: Said of the whole sentence: "according to media reports", "An earlier version of this story said …".
_UNCONFIRMED = re.compile(r"\baccording to (?:media |press |local |unconfirmed |some )?reports\b|"
                          r"\bearlier version of this (?:story|article|report)\b|\bunconfirmed reports?\b", re.IGNORECASE)
#: "called for Salcedo to resign", "urged the bank to cut": a call for an act is not the act.
_CALLS = re.compile(r"\b(?:call(?:s|ed|ing)? (?:on|for)|ask(?:s|ed|ing)? for|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|"
                    r"want(?:s|ed)?|push(?:es|ed|ing)? for|appeal(?:s|ed|ing)? (?:to|for))\s+"
                    r"(?:\S+\s+){0,5}?(?:to|that)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
#: "declined to say whether other products would be examined": nothing is said either way.
_UNSAID = re.compile(r"(?:\b(?:declin\w*|refus\w*|would not|did not|could not|wouldn't|didn't|couldn't) (?:to )?"
                     r"(?:say|comment on|confirm|disclose|specify|reveal)|\bnot (?:immediately )?(?:clear|known)|"
                     r"\bunclear|\buncertain|\bunknown)\s+(?:whether|if|when|how|why|where|what|who)\b", re.IGNORECASE)


def _hedged(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """The verb is only possible, expected or reported ("was likely to rise", "could face", "is believed to
    have been started", "reportedly skipped"), and the question does not ask about that: the sentence
    neither states nor denies that it happened."""
    asked = {w.lower().strip("?,.") for w in question.text.split()}
    before = [t.text.lower() for t in s.tokens[max(0, pred_at - 4) : pred_at]]
    if _UNCONFIRMED.search(s.text) and not re.search(r"\b(?:incorrectly|wrongly|erroneously|mistakenly)\b", s.text):
        return True  # "An earlier version of this story incorrectly said …" refutes: see stance
    return any(w in _HEDGES and w not in asked for w in before)


_FUTURE = re.compile(r"(?:\b(?:will|would|shall|going to|due to|expected to|set to|scheduled to|plans? to|planned to|"
                     r"is to|are to)|['’]ll)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_PAST_HERE = re.compile(r"\b(?:was|were|had|has|have|been)\s+(?:\S+\s+)?$", re.IGNORECASE)


def _other_time(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """The question asks whether it happened and the sentence says it will ("would be reopened"), or the
    question asks whether it will happen and the sentence says it did ("Two wards were closed" for "Will
    more wards be closed?")."""
    first = question.text.lower().split()[:1]
    before = s.text[: s.tokens[pred_at].start - s.start]
    ahead = bool(_FUTURE.search(before))
    if first and first[0] in ("did", "has", "have", "had", "was", "were"):
        return ahead
    if first and first[0] in ("will", "shall"):
        verb = s.tokens[pred_at].text.lower()
        return not ahead and (verb.endswith("ed") or bool(_PAST_HERE.search(before)))
    return False


_CONDITION = re.compile(r"\b(?:if|unless|until|provided that|once)\b", re.IGNORECASE)


def _conditional(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """The act depends on a condition: "would … declare a state of emergency if the fire crossed Highway 1",
    "cannot allow these aircraft to fly until every one of them has been inspected"."""
    if _CONDITION.search(question.text):
        return False
    start = s.tokens[pred_at].start - s.start
    before = s.text[max(0, start - 60) : start]
    clause_before = re.split(r"[,;:]", before)[-1]
    after = re.split(r"[,;:.]", s.text[s.tokens[pred_at].end - s.start :])[0]
    return bool(_CONDITION.search(clause_before)) or bool(re.search(r"\b(?:would|could)\b", clause_before)
                                                           and _CONDITION.search(after))


def _called_for(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """The act is only called for ("The opposition called for Salcedo to resign"), or the source would not
    say ("declined to say whether other products would be examined"), and the question does not ask that."""
    before = s.text[: s.tokens[pred_at].start - s.start]
    asked = question.text.lower()
    return bool(_CALLS.search(before)) and not re.search(r"\b(?:call|urge|demand|want|push|appeal)", asked) \
        or bool(_UNSAID.search(before))


def _under_negated_verb(s: SentenceInfo, pred_at: int) -> bool:
    """"The study did not prove that erythritol causes heart attacks": the "not" is the proving's; the
    claim is neither stated nor denied (unlike "denied that …", which denies it)."""
    words = [t.text.lower() for t in s.tokens[max(0, pred_at - 8) : pred_at]]
    at = max((i for i, w in enumerate(words) if w in ("that", "whether", "if")), default=None)
    return at is not None and any(is_negation(w) for w in words[max(0, at - 3) : at])


