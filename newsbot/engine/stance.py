"""Whether a sentence supports or refutes a yes/no claim, and whether it is about it at all.

A sentence takes a side only if it states the claim's predicate ("apologized")
about the claim's subject (Lukashenko, or a pronoun that refers to him). It
refutes when a negation governs the predicate ("did not apologize", "nothing
to apologize for") or when it reports a denial ("denied that he apologized");
otherwise it supports. Everything else that shares the question's terms is
context.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsbot.engine.attribution import (
    SPEECH_VERBS,
    ArticleAnalysis,
    SentenceInfo,
    name_key,
)
from newsbot.engine.question import Question
from newsbot.models import Stance
from newsbot.text import DENIALS, is_negation, term

_THIRD_PERSON = frozenset("he she they it him her them".split())
_FIRST_PERSON = frozenset("i we me us".split())
NEGATION_WINDOW = 4
Aliases = Mapping[str, frozenset[str]]


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
    """Terms a sentence borrows when it opens with "It" or "The game": its paragraph so far, and the title.

    "The game was released on May 15, 2012" under the headline "Diablo 3 turns ten" is about Diablo 3.
    """
    words = [t.text.lower() for t in s.tokens[:2]]
    if not words or not (words[0] in _ANAPHORS or words[0] == "the" and len(words) > 1 and words[1] in _DEFINITE_NOUNS):
        return s.terms
    out = set(s.terms) | title_terms
    for other in analysis.sentences[: s.index]:
        if other.paragraph == s.paragraph:
            out |= other.terms
    return frozenset(out)


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
    rest = question.content - question.numbers - question.entities - ({question.focus} if question.focus else set())
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


def _is_be_question(question: Question) -> bool:
    """"Where is the Mozyr refinery?": the question names a thing, so "It is located …" may answer it."""
    words = question.text.lower().split()
    return len(words) > 1 and words[1] in ("is", "are", "was", "were")


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
    if pred_at is not None and named and _subject_matches(question, analysis, s, pred_at, title,
                                                          aliases or analysis.name_terms):
        # The subject is there by name, though another article gave its title ("the Latvian president").
        stated = window | question.subject_terms if question.subject else window
        if coverage(question, stated) >= 0.6:
            return Judgement(s, _polarity(question, s, pred_at), own, win)
    if own >= 0.5 and (not question.entities or question.entities & s.terms):
        return Judgement(s, Stance.CONTEXT, own, win)
    return None


def _predicate_index(question: Question, s: SentenceInfo) -> int | None:
    if question.predicate is None:
        return None
    for i, tok in enumerate(s.tokens):
        if term(tok.text) == question.predicate:
            return i
    return None


def _polarity(question: Question, s: SentenceInfo, pred_at: int) -> Stance:
    before = s.tokens[max(0, pred_at - NEGATION_WINDOW) : pred_at]
    if any(is_negation(t.text) for t in before):
        return Stance.REFUTES
    denied = any(t.text.lower() in DENIALS for t in s.tokens[:pred_at])
    if denied and question.predicate not in {term(d) for d in DENIALS}:
        return Stance.REFUTES
    return Stance.SUPPORTS


def _subject_matches(
    question: Question, analysis: ArticleAnalysis, s: SentenceInfo, pred_at: int, title: str, aliases: Aliases
) -> bool:
    """Does the predicate's subject in ``s`` refer to the question's subject?"""
    if question.subject is None:
        return True
    if _noun_before(s, pred_at):
        return False  # "missile strikes launched from …": the strikes were launched, no one named launched them
    pred_start = s.tokens[pred_at].start
    speaker_key = s.attribution.key
    excluded = {k for k in (speaker_key, _key_or_none(s.attribution.audience)) if k}
    # The nearest name or pronoun before the predicate is its subject.
    names_before = [n for n in s.names if n[2] <= pred_start and name_key(n[0]) not in excluded]
    pronoun = None
    for tok in reversed(s.tokens[max(0, pred_at - 4) : pred_at]):
        low = tok.text.lower().strip("[]")
        if low in _THIRD_PERSON or low in _FIRST_PERSON:
            pronoun = tok
            break
    if names_before and (pronoun is None or names_before[-1][2] > pronoun.start):
        return is_subject(question, aliases, name_key(names_before[-1][0]))
    if pronoun is None:
        return question.subject in s.terms
    low = pronoun.text.lower()
    if low in _FIRST_PERSON and not _inside_single_quote(s, pronoun.start):
        role_terms = {term(w) for w in (s.attribution.role or "").split()}
        if low in ("we", "us"):  # a spokeswoman's "we" is her principal's office, not her own doing
            return any(is_subject(question, aliases, t) for t in role_terms - {speaker_key})
        return any(is_subject(question, aliases, t) for t in role_terms | {speaker_key} if t)
    # Third person (or "I" inside a quote within a quote): look back for who it can be.
    if speaker_key and low in ("he", "she") and _reports_own_act(s, pronoun.start):
        return is_subject(question, aliases, speaker_key)  # "Zelensky said he confronted Lukashenko": Zelensky
    if names_before:
        return is_subject(question, aliases, name_key(names_before[-1][0]))
    title_keys = {term(w.strip(",.:;’'")) for w in title.split() if w[:1].isupper()}
    referents = ({_last_referent(analysis, s, excluded | {speaker_key})} | title_keys) - {speaker_key, None}
    return any(is_subject(question, aliases, k) for k in referents if k)


#: Words that may stand between a subject and its verb: auxiliaries, negations, adverbs, relative pronouns.
_BETWEEN = frozenset(
    """did does do is are was were has have had can could will would should may might must shall be been being
    also then later still just never not already again once first finally reportedly allegedly apparently
    who which that and or but to""".split()
)


def _noun_before(s: SentenceInfo, pred_at: int) -> bool:
    """The predicate follows a common word that is its own subject ("strikes launched", "forces launched").

    A name, a pronoun, an auxiliary, a negation or an adverb before it leaves the subject to be found
    further back; a lower-case noun right before it is the subject, and it is not a person the question names.
    """
    if pred_at == 0:
        return False
    prev = s.tokens[pred_at - 1]
    low = prev.text.lower().strip("[]")
    if prev.is_capitalized or not low.isalpha() or low.endswith("ly") or is_negation(low):
        return False
    between = s.text[prev.end - s.start : s.tokens[pred_at].start - s.start]
    return between.strip() == "" and low not in _BETWEEN | _THIRD_PERSON | _FIRST_PERSON


def aliases_of(analyses: Iterable[ArticleAnalysis]) -> Aliases:
    """Every word these articles use for each person or body, by key (one article may name the office,
    another only the surname)."""
    out: dict[str, frozenset[str]] = {}
    for analysis in analyses:
        for key, words in analysis.name_terms.items():
            out[key] = out.get(key, frozenset()) | words
    return out


def is_subject(question: Question, aliases: Aliases, key: str | None) -> bool:
    """The person or body ``key`` is the question's subject: the same name, or, for a subject the question
    describes in two or more name words ("the Belarusian President"), one the article calls by all of them
    ("Belarusian President Aleksandr Lukashenko"). One word ("the President") is too loose to say who.
    """
    if key is None:
        return False
    if key == question.subject:
        return True
    described = question.subject_terms
    return len(described) >= 2 and described <= aliases.get(key, frozenset())


def _reports_own_act(s: SentenceInfo, pos: int) -> bool:
    """The pronoun at ``pos`` follows its speaker's speech verb ("said he", "said that he"), outside any quote."""
    at = next((i for i, t in enumerate(s.tokens) if t.start == pos), None)
    if at is None or at == 0 or _inside_single_quote(s, pos) or "“" in s.text[: pos - s.start]:
        return False
    before = [t.text.lower() for t in s.tokens[max(0, at - 2) : at]]
    if before and before[-1] == "that":
        before = before[:-1]
    return bool(before) and before[-1] in SPEECH_VERBS


def _last_referent(analysis: ArticleAnalysis, s: SentenceInfo, excluded: set[str | None]) -> str | None:
    """The most recent name before ``s`` (this paragraph or the one before) a pronoun in it can refer to.

    Names quoted inside a quote ("‘… Putin was the one launching them.’") are someone's words about a
    third person, not the story's actors; the speaker and the audience are who is talking and listening.
    """
    for other in reversed(analysis.sentences[: s.index]):
        if other.paragraph < s.paragraph - 1:
            break
        for name, start, _ in reversed(other.names):
            key = name_key(name)
            if key not in excluded and not _inside_single_quote(other, start):
                return key
    return None


def _key_or_none(name: str | None) -> str | None:
    return name_key(name) if name else None


def _inside_single_quote(s: SentenceInfo, pos: int) -> bool:
    rel = pos - s.start
    opened = s.text.rfind("‘", 0, rel)
    if opened < 0:
        return False
    i = s.text.find("’", opened + 1, rel)
    while i >= 0:
        if i + 1 >= len(s.text) or not s.text[i + 1].isalpha():
            return False
        i = s.text.find("’", i + 1, rel)
    return True
