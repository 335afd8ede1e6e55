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

from dataclasses import dataclass, replace
from itertools import pairwise

from newsbot.engine.attribution import (
    SPEECH_VERBS,
    ArticleAnalysis,
    Attribution,
    SentenceInfo,
    name_key,
)
from newsbot.engine.question import Question
from newsbot.engine.subject import (
    GROUP,
    Aliases,
    group_names,
    passive_agent,
    speaks_here,
    subject_matches,
)
from newsbot.models import Stance
from newsbot.text import DENIALS, is_negation, term, terms_of

NEGATION_WINDOW = 4


@dataclass(frozen=True)
class Judgement:
    """A sentence's bearing on the question."""

    sentence: SentenceInfo
    stance: Stance
    own_coverage: float
    window_coverage: float


def coverage(question: Question, terms: frozenset[str] | set[str]) -> float:
    """Share of the question's weighted terms found in ``terms``."""
    return sum(w for t, w in question.weights.items() if t in terms) / question.total_weight


def head_coverage(question: Question, terms: frozenset[str] | set[str]) -> float:
    """Like :func:`coverage`, but a name counts by its last word ("Valhalla" for "Assassin's Creed Valhalla")."""
    weights = {t: w for t, w in question.weights.items() if t not in question.entities or t in question.name_heads}
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in terms) / total


def numbers_present(question: Question, terms: frozenset[str] | set[str]) -> bool:
    return question.numbers <= terms


_ANAPHORS = frozenset("it he she they its his her their this".split())
_DEFINITE_NOUNS = frozenset(
    """game film movie company firm team player book album show series event tournament deal app device phone
    election award prize championship final match season episode console model""".split()
)


def names_context(analysis: ArticleAnalysis, s: SentenceInfo, title_terms: frozenset[str] = frozenset()) -> frozenset[str]:
    """Terms a sentence borrows when it opens with "It" or "The game": its paragraph so far, and the title;
    and the names of this paragraph and the one before when it speaks of "the two leaders".

    "The game was released on May 15, 2012" under the headline "Diablo 3 turns ten" is about Diablo 3;
    "Zelensky said the two leaders spoke by phone …" is about Zelensky and the Lukashenko named before.
    """
    if GROUP.search(s.text):
        return s.terms | group_names(analysis, s)
    words = [t.text.lower() for t in s.tokens[:2]]
    named_before = _named_with(analysis, s, words[1]) if len(words) > 1 and words[0] == "the" else frozenset()
    if not words or not (words[0] in _ANAPHORS or words[0] == "the" and len(words) > 1 and words[1] in _DEFINITE_NOUNS):
        return s.terms | named_before
    out = set(s.terms) | title_terms
    for other in analysis.sentences[: s.index]:
        if other.paragraph == s.paragraph:
            out |= other.terms
    return frozenset(out)


def _named_with(analysis: ArticleAnalysis, s: SentenceInfo, noun: str) -> frozenset[str]:
    """"The plant employs about 2,300 people" after "… at its Dayton plant": the names just before the
    noun's last earlier mention in the article (Dayton), which "the plant" refers back to."""
    wanted = term(noun)
    for other in reversed(analysis.sentences[: s.index]):
        toks = other.tokens
        for i in range(len(toks) - 1, 0, -1):
            if term(toks[i].text) == wanted:
                return frozenset(term(t.text) for t in toks[max(0, i - 3) : i] if t.is_capitalized)
    return frozenset()


def alias_terms(analysis: ArticleAnalysis, s: SentenceInfo) -> frozenset[str]:
    """Every word the article uses for the people named in ``s``: "Costa, 23," is Dani Costa's age."""
    return frozenset(t for name, _, _ in s.names for t in analysis.name_terms.get(name_key(name), ()))


def heads_named(question: Question, analysis: ArticleAnalysis, s: SentenceInfo, context: frozenset[str],
                title_terms: frozenset[str] = frozenset()) -> bool:
    """The question's names are there as names: most of their words, or each head written with a capital.

    "Valhalla was released …" names Assassin's Creed Valhalla; "the final medal count" of the 2018
    Winter Olympics does not name the World Cup Final.
    """
    if not question.name_heads or 2 * len(question.entities & context) > len(question.entities):
        return True
    capital = {term(t.text) for o in analysis.sentences if o.paragraph == s.paragraph
               for t in o.tokens if t.is_capitalized}
    return question.name_heads <= capital | title_terms


def paragraph_terms(analysis: ArticleAnalysis, s: SentenceInfo) -> frozenset[str]:
    """Terms of the sentence's whole paragraph."""
    return analysis.paragraph_terms[s.paragraph]


#: Words that say what kind of thing a name is ("the Avatar movie"): they do not change what it names.
KIND_NOUNS = frozenset(term(w) for w in "film game album book series show song novel".split())


def qualifiers_present(question: Question, terms: frozenset[str]) -> bool:
    """Every descriptive word of the question other than its relation word and kind nouns is stated.

    "men's", "singles", "revenue" must be there; "movie" of "the Avatar movie" need not:
    "Avatar: Directed by James Cameron." answers "Who directed the Avatar movie?".
    """
    rest = question.content - question.numbers - question.entities - {question.focus, question.counted}
    return rest - KIND_NOUNS <= terms


def states_all_qualifiers(question: Question, own: frozenset[str], names: frozenset[str] | None = None) -> bool:
    """A sentence that answers a value question names every name and number in it, and most other words.

    "Who won Wimbledon in 2019?" is not answered by a sentence about 2018, nor by
    one that lists 2019 players without saying who won. Names and numbers may
    come from ``names`` (the sentence plus, for "It was released …", the
    sentences before it); the other words must be the sentence's own.
    """
    names = own if names is None else names
    if not (question.numbers <= names and question.entities <= names):
        return False
    if question.focus is not None and question.focus not in own and (names is own or not _is_be_question(question)):
        return False
    rest = [t for t in question.content if t not in question.numbers and t not in question.entities]
    pool = own if names is own or not _is_be_question(question) else names
    return not rest or sum(t in pool for t in rest) / len(rest) >= 0.5


_COPULAS = frozenset("is are was were".split())


def _is_be_question(question: Question) -> bool:
    """"Where is the Mozyr refinery?": the question names a thing, so "It is located …" may answer it."""
    words = question.text.lower().split()
    return len(words) > 1 and words[1] in _COPULAS


def window_terms(analysis: ArticleAnalysis, s: SentenceInfo, title_terms: frozenset[str]) -> set[str]:
    """Terms of the sentence, the sentences before it in its paragraph and the paragraph before, and the title."""
    out = set(s.terms) | title_terms
    for other in analysis.sentences[: s.index]:
        if other.paragraph >= s.paragraph - 1:
            out |= other.terms
    return out


def judge_yesno(
    question: Question, analysis: ArticleAnalysis, s: SentenceInfo, title: str, title_terms: frozenset[str],
    aliases: Aliases | None = None,
) -> Judgement | None:
    """Stance of ``s`` on a yes/no question, or None if it does not bear on it.

    ``aliases``: every word the evidence uses for each person (:func:`aliases_of`); this article's alone if None.
    """
    own = coverage(question, s.terms)
    window = window_terms(analysis, s, title_terms)
    win = coverage(question, window)
    if not numbers_present(question, window):
        return None
    pred_at = _predicate_index(question, s)
    named = question.name_heads - question.subject_terms <= window  # "at Kyiv": a claim about Kyiv needs Kyiv
    first = question.text.lower().split()[:1]
    asks_be = bool(first) and first[0] in _COPULAS  # "Is the refinery in …?"
    anchor = _copula_before(s, pred_at) if pred_at is not None and asks_be else pred_at
    if anchor is not None and named and subject_matches(question, analysis, s, anchor, title,
                                                        aliases or analysis.name_terms):
        # The subject is there by name, though another article gave its title ("the Latvian president").
        stated = window | question.subject_terms if question.subject else window
        if coverage(question, stated) >= 0.6 and _objects_stated(question, analysis, s, pred_at):
            if _hedged(question, s, pred_at) or _under_negated_verb(s, pred_at):
                return Judgement(s, Stance.CONTEXT, own, win)  # "was likely to rise", "did not prove that it causes"
            return Judgement(_reported(s, pred_at), _polarity(question, s, pred_at), own, win)
    if own >= 0.5 and (not question.entities or question.entities & s.terms):
        return Judgement(s, Stance.CONTEXT, own, win)
    return None


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
        if s.tokens[i].text.lower() in _COPULAS:
            return i
    return pred_at


def _predicate_index(question: Question, s: SentenceInfo) -> int | None:
    if question.predicate is None:
        return None
    for i, tok in enumerate(s.tokens):
        if term(tok.text) == question.predicate:
            return i
    return None


def _polarity(question: Question, s: SentenceInfo, pred_at: int) -> Stance:
    """SUPPORTS or REFUTES the claim asked about (turned round when the question denies: "Didn't he …?")."""
    stance = _stated_polarity(question, s, pred_at)
    if question.negated:
        return Stance.REFUTES if stance is Stance.SUPPORTS else Stance.SUPPORTS
    return stance


_ARTICLES = frozenset("a an the".split())
_DECLINED = frozenset("declined declines decline failed fails fail".split())
_HEDGES = frozenset("likely unlikely expected may might could possibly probably perhaps".split())


def _hedged(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """The verb is only possible or expected ("was likely to rise", "could face"), and the question does not
    ask about a possibility: the sentence neither states nor denies that it happened."""
    asked = {w.lower().strip("?,.") for w in question.text.split()}
    before = [t.text.lower() for t in s.tokens[max(0, pred_at - 3) : pred_at]]
    return any(w in _HEDGES and w not in asked for w in before)


def _under_negated_verb(s: SentenceInfo, pred_at: int) -> bool:
    """"The study did not prove that erythritol causes heart attacks": the "not" is the proving's; the
    claim is neither stated nor denied (unlike "denied that …", which denies it)."""
    words = [t.text.lower() for t in s.tokens[max(0, pred_at - 6) : pred_at]]
    at = max((i for i, w in enumerate(words) if w in ("that", "whether", "if")), default=None)
    return at is not None and any(is_negation(w) for w in words[max(0, at - 3) : at])


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
    if any(is_negation(t.text) for t in before):
        return Stance.REFUTES
    after = [t.text.lower() for t in s.tokens[pred_at + 1 : pred_at + 3]]
    if after[:1] and after[0] in ("no", "nothing", "none") or after[1:] and after[0] in _ARTICLES and after[1] == "no":
        return Stance.REFUTES  # "They found no evidence of fraud": they did not find any
    if any(a.text.lower() in _DECLINED and b.text.lower() == "to" for a, b in pairwise([*before, s.tokens[pred_at]])):
        return Stance.REFUTES  # "Orbit declined to comment": it did not comment
    denied = any(t.text.lower() in DENIALS for t in s.tokens[:pred_at])
    if denied and question.predicate not in {term(d) for d in DENIALS}:
        return Stance.REFUTES
    return Stance.SUPPORTS
