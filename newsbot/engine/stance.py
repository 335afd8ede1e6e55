"""Whether a sentence supports or refutes a yes/no claim, and whether it is about it at all.

A sentence takes a side only if it states the claim's predicate ("apologized")
about the claim's subject (Lukashenko, or a pronoun that refers to him), with
any name the claim puts after its verb ("to Putin") in the verb's own clause.
It refutes when a negation in the predicate's own sentence governs it ("did
not apologize", "nothing to apologize for") or when it reports a denial
("denied that he apologized"); otherwise it supports. Everything else that shares the question's terms is
context.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from newsbot.engine.assertion import asserted
from newsbot.engine.attribution import (
    SPEECH_VERBS,
    ArticleAnalysis,
    Attribution,
    SentenceInfo,
)
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
    DENIALS,
    NUMBER_WORDS,
    Token,
    is_negation,
    term,
    term_at,
    terms_of,
)

NEGATION_WINDOW = 4


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
    opposite = pred_at is None and (pred_at := _opposite_index(question, s)) is not None
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
            stance = _polarity(question, s, pred_at, opposite=opposite)
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


#: Verbs whose act rules out the other's, as terms: rejecting a deal is not accepting it.
_OPPOSITES: dict[str, frozenset[str]] = {}
for _a, _b in (("accept", "reject"), ("accept", "decline"), ("approve", "reject"), ("win", "lose"), ("rise", "fall"),
               ("rise", "decline"), ("increase", "decrease"), ("open", "close"), ("allow", "ban")):
    _OPPOSITES[term(_a)] = _OPPOSITES.get(term(_a), frozenset()) | {term(_b)}
    _OPPOSITES[term(_b)] = _OPPOSITES.get(term(_b), frozenset()) | {term(_a)}


def _opposite_index(question: Question, s: SentenceInfo) -> int | None:
    """Where the sentence states the opposite of the claim's verb ("rejected" for "accept"), if it does."""
    opposites = _OPPOSITES.get(question.predicate or "", frozenset())
    return next((i for i in range(len(s.tokens)) if term_at(s.tokens, i) in opposites), None)


def _polarity(question: Question, s: SentenceInfo, pred_at: int, *, opposite: bool = False) -> Stance:
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
        start = max([i for i in range(1, pred_at + 1) if _breaks_before(s, i)], default=0)
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
        if _breaks_before(s, i) or words[i] in SPEECH_VERBS \
                or words[i] in ("and", "but") and i + 1 < len(words) and words[i + 1] in _SUBJECT_PRONOUNS:
            return i
    return len(words)


_SUBJECT_PRONOUNS = frozenset("i he she we they it".split())


def _breaks_before(s: SentenceInfo, i: int) -> bool:
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
    """"Have all the aircraft been inspected?" ← "eight of the 12 aircraft had been inspected": only some."""
    if not re.search(r"\b(?:all|every)\b", question.text, re.IGNORECASE):
        return False
    for m in re.finditer(r"\b(\w+) of (?:the |its |their )?(\w+)\b", s.text[: s.tokens[pred_at].start - s.start]):
        part, whole = (_NUMBER.get(w.lower(), w.replace(",", "")) for w in (m.group(1), m.group(2)))
        if part.isdigit() and whole.isdigit() and int(part) < int(whole):
            return True
    return False


_NUMBER = {w: n for w, n in NUMBER_WORDS.items() if n.isdigit()} | {"one": "1"}
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
    start = max([i for i in range(start + 1, pred_at + 1) if _breaks_before(s, i)], default=start)
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
