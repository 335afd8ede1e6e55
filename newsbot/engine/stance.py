"""Whether a sentence supports or refutes a yes/no claim, and whether it is about it at all.

A sentence takes a side only if it states the claim's predicate ("apologized")
about the claim's subject (Lukashenko, or a pronoun that refers to him), with
any name the claim puts after its verb ("to Putin") in the verb's own clause.
Whether it asserts the act at all is :mod:`newsbot.engine.assertion` (hedges,
calls, conditions: context); which way it takes it is
:mod:`newsbot.engine.polarity` (negations, denials, opposite acts: refutes).
A denial of what the sentence before said ("Hallam denied this") refutes it too.
Everything else that shares the question's terms is context.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsbot.engine.assertion import asserted
from newsbot.engine.attribution import (
    SPEECH_VERBS,
    ArticleAnalysis,
    Attribution,
    SentenceInfo,
)
from newsbot.engine.polarity import breaks_before, opposite_index, polarity
from newsbot.engine.question import Question
from newsbot.engine.relevance import COPULAS, coverage, numbers_present, window_terms
from newsbot.engine.subject import (
    GROUP,
    Aliases,
    group_names,
    passive_agent,
    speaks_here,
    subject_matches,
)
from newsbot.models import Stance
from newsbot.text import (
    term,
    term_at,
    terms_of,
)


@dataclass(frozen=True)
class Judgement:
    """A sentence's bearing on the question."""

    sentence: SentenceInfo
    stance: Stance
    own_coverage: float
    window_coverage: float


def judge_yesno(
    question: Question, analysis: ArticleAnalysis, s: SentenceInfo, title: str, title_terms: frozenset[str],
    aliases: Aliases | None = None,
) -> Judgement | None:
    """Stance of ``s`` on a yes/no question, or None if it does not bear on it.

    ``aliases``: every word the evidence uses for each person (:func:`aliases_of`); this article's alone if None.
    """
    denial = _denies_previous(question, analysis, s, title, title_terms, aliases)
    if denial is not None:  # "Doyle said Hallam had planned to close two bakeries. Hallam denied this."
        return denial
    own = coverage(question, s.terms)
    window = window_terms(analysis, s, title_terms)
    win = coverage(question, window)
    if not numbers_present(question, window):
        return None
    pred_at = _predicate_index(question, s)
    opposite = pred_at is None and (pred_at := opposite_index(question, s)) is not None
    if opposite:  # "Unison rejected the deal" answers "Did Unison accept the deal?"
        window = window | {question.predicate or ""}
    named = question.name_heads - question.subject_terms <= window  # "at Kyiv": a claim about Kyiv needs Kyiv
    named = named and len(question.tail - window) <= len(question.tail) // 3  # "offer refunds": an offer of a pay
    # rise says nothing of refunds (one word in three may be put otherwise: "two people" as "two of them")
    first = question.text.lower().split()[:1]
    asks_be = bool(first) and first[0] in COPULAS  # "Is the refinery in …?"
    anchor = _copula_before(s, pred_at) if pred_at is not None and asks_be else pred_at
    if anchor is not None and named and subject_matches(question, analysis, s, anchor, title,
                                                        aliases or analysis.name_terms):
        # The subject is there by name, though another article gave its title ("the Latvian president").
        stated = window | question.subject_terms if question.subject else window
        if coverage(question, stated) >= 0.6 and _objects_stated(question, analysis, s, pred_at):
            if not asserted(question, s, pred_at):
                return Judgement(s, Stance.CONTEXT, own, win)  # "was likely to rise", "did not prove that it causes"
            stance = polarity(question, s, pred_at, opposite=opposite)
            return Judgement(_reported(s, pred_at) if stance is not Stance.CONTEXT else s, stance, own, win)
    if own >= 0.5 and (not question.entities or question.entities & s.terms):
        return Judgement(s, Stance.CONTEXT, own, win)
    return None


_ANAPHORIC_DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected|rejects|disputed|disputes)\s+(?:this|that|it|"
                               r"(?:the|these|those) (?:claims?|reports?|allegations?|accusations?|account))\b"
                               r"(?!\s+\w+ed\b)")


def _denies_previous(question: Question, analysis: ArticleAnalysis, s: SentenceInfo, title: str,
                     title_terms: frozenset[str], aliases: Aliases | None) -> Judgement | None:
    """A denial of what the sentence before said ("Hallam denied this on Wednesday") refutes the claim when
    that sentence stated it and someone else said so."""
    if s.index == 0 or not s.attribution.speaker or not _ANAPHORIC_DENIAL.search(s.text):
        return None
    prev = analysis.sentences[s.index - 1]
    if prev.paragraph != s.paragraph or prev.attribution.key == s.attribution.key:
        return None
    j = judge_yesno(question, analysis, prev, title, title_terms, aliases)
    if j is None or j.stance is Stance.CONTEXT:
        return None
    stated = (j.stance is Stance.SUPPORTS) != question.negated
    if not stated:
        return None
    return Judgement(s, Stance.SUPPORTS if question.negated else Stance.REFUTES, j.own_coverage, j.window_coverage)


def _reported(s: SentenceInfo, pred_at: int) -> SentenceInfo:
    """The sentence as the outlet's report when its predicate is the speaker's own speech verb.

    "Lukashenko warned that Ukraine would face a “tenfold response”" answers "Did Lukashenko threaten
    Ukraine?" as the outlet's account of what he did, not as his own claim about himself.
    """
    if not speaks_here(s, pred_at):
        return s
    return replace(s, attribution=Attribution(when=s.attribution.when))


def _copula_before(s: SentenceInfo, pred_at: int) -> int:
    """For "Is the refinery in the Gomel region?": the "is" before the predicate, where the subject ends.

    "It is located in the Gomel region": the subject is before "is", not the "Gomel" right before "region".
    """
    for i in range(pred_at - 1, -1, -1):
        if s.tokens[i].text.lower() in COPULAS:
            return i
    return pred_at


def _predicate_index(question: Question, s: SentenceInfo) -> int | None:
    if question.predicate is None:
        return None
    for i in range(len(s.tokens)):
        if term_at(s.tokens, i) == question.predicate:
            return i
    return None


def _objects_stated(question: Question, analysis: ArticleAnalysis, s: SentenceInfo, pred_at: int | None,
                    *, look_back: bool = True) -> bool:
    """Each name the claim puts after its verb ("apologize to Putin") is in the verb's own clause.

    "[He] apologized and he said, ‘… Putin was the one launching them.’" names Putin, but not as the
    one apologized to. Also fine: the one telling it ("Zelensky said … Lukashenko apologized" to him),
    a group naming both ("the two leaders spoke"),
    "him"/"her"/"them" for a name earlier in the sentence ("confronted Lukashenko, accusing him of …"),
    and a sentence naming no one that goes on from one that passes ("… did not apologize to Volodymyr
    Zelensky. “For the simple reason that we have nothing to apologize for.”").
    """
    objects = question.objects - question.asked_of
    if pred_at is None or not objects:
        return True
    clause = s.tokens[pred_at + 1 : _clause_end(s, pred_at)]
    if passive_agent(question, s, pred_at) is not None:  # "Osei … was dismissed by …": Osei is whom
        start = max([i for i in range(1, pred_at + 1) if breaks_before(s, i)], default=0)
        clause = [*s.tokens[start:pred_at], *clause]
    missing = objects - terms_of(clause) - {term(w) for w in (s.attribution.speaker or "").split()}
    if not missing:
        return True
    if missing <= s.terms and any(t.text.lower() in _OBJECT_PRONOUNS for t in clause):
        return True
    if GROUP.search(s.text[: s.tokens[pred_at].start - s.start]) and missing <= group_names(analysis, s):
        return True  # "the two leaders spoke": Zelensky spoke with Lukashenko
    if missing & s.terms or not look_back or s.index == 0:
        return False  # named, but in another role
    prev = analysis.sentences[s.index - 1]
    at = _predicate_index(question, prev)
    return prev.paragraph == s.paragraph and at is not None and \
        _objects_stated(question, analysis, prev, at, look_back=False)


_OBJECT_PRONOUNS = frozenset("him her them".split())


def _clause_end(s: SentenceInfo, pred_at: int) -> int:
    """Where the verb's clause ends: at a full stop, a speech verb, or "and"/"but" before a new subject pronoun."""
    words = [t.text.lower() for t in s.tokens]
    for i in range(pred_at + 1, len(words)):
        if breaks_before(s, i) or words[i] in SPEECH_VERBS \
                or words[i] in ("and", "but") and i + 1 < len(words) and words[i + 1] in _SUBJECT_PRONOUNS:
            return i
    return len(words)


_SUBJECT_PRONOUNS = frozenset("i he she we they it".split())


