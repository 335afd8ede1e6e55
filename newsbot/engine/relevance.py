"""Whether a sentence is about the question at all: how much of it the sentence and its surroundings state.

Coverage weighs the question's terms (names and numbers most); a sentence borrows
terms from where it stands — "It" or "The game" from its paragraph and the
headline, "the two leaders" from the names before, "the plant" from the names of
its earlier mention — and a value question's descriptive words must all be there
("women's singles" does not answer a question about men's singles).
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

from newsbot.engine.attribution import ArticleAnalysis, SentenceInfo, name_key
from newsbot.engine.claim import COPULAS
from newsbot.engine.question import Question
from newsbot.engine.subject import GROUP, group_names
from newsbot.text import term


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




def _is_be_question(question: Question) -> bool:
    """"Where is the Mozyr refinery?": the question names a thing, so "It is located …" may answer it."""
    words = question.text.lower().split()
    return len(words) > 1 and words[1] in COPULAS


def window_terms(analysis: ArticleAnalysis, s: SentenceInfo, title_terms: frozenset[str]) -> set[str]:
    """Terms of the sentence, the sentences before it in its paragraph and the paragraph before, and the title."""
    out = set(s.terms) | title_terms
    for other in analysis.sentences[: s.index]:
        if other.paragraph >= s.paragraph - 1:
            out |= other.terms
    return out
