"""Plain word matching for the LLM mode's own checks: words, content terms and names, by token comparison.

The LLM mode checks only what can be checked mechanically, so it needs no
parse and no engine internals: a word is a run of letters or digits, case
folded; a content term is a word that is not a function word, cut to its
first :data:`STEM` characters so "apologize", "apologized" and "apology" meet;
a name is matched by its last capitalised word (the surname: "Natalya
Eismont" by "eismont"). These are deliberately blunt and stable: they decide
where a quote is, whether a passage bears on the question at all and whether
a speaker is named in an article, never what anyone claims.
"""

from __future__ import annotations

import re
import unicodedata

from spacy.lang.en.stop_words import STOP_WORDS

_WORD_RE = re.compile(r"[^\W_]+")
_PAREN_RE = re.compile(r"\([^)]*\)")
#: Terms are words cut to this many characters (a crude, language-blind stem).
STEM = 5

#: Function words: never the content of a question, a quote or a name. spaCy's English stop words (the list
#: the offline reader's parse marks), and what a question about a claim always says besides its content.
FUNCTION_WORDS: frozenset[str] = frozenset(STOP_WORDS) | frozenset(
    "s t yes true false say said says tell told shall having".split())
#: Words of a speaker's description that are not their name ("Belarusian President", "press secretary").
TITLES: frozenset[str] = frozenset(
    """mr mrs ms dr sir president prime minister press secretary spokesman spokeswoman spokesperson chief head
    leader official senior deputy foreign general former acting""".split()
)


def fold(text: str) -> str:
    """``text`` case folded and without accents ("Zelenskyy" stays, "Ł" and "é" lose their marks)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of ``text`` in order, folded (possessive "’s" becomes its own word "s")."""
    return _WORD_RE.findall(fold(text))


def term(word: str) -> str:
    """A word's comparable form: its first :data:`STEM` characters (numbers whole)."""
    return word if word.isdigit() else word[:STEM]


def content_terms(text: str) -> set[str]:
    """The terms of ``text``'s content words (function words left out)."""
    return {term(w) for w in words(text) if w not in FUNCTION_WORDS}


def name_key(speaker: str) -> str | None:
    """The word a speaker is recognised by: the last capitalised word before any comma, else the last word.

    "Natalya Eismont" -> "eismont"; "Eismont, the press secretary" -> "eismont";
    "Natalya Eismont (Lukashenko's press secretary)" -> "eismont";
    "Aleksandr Lukashenko's press secretary" -> "lukashenko"; "officials" -> "officials".
    """
    head = _PAREN_RE.sub(" ", speaker).split(",", 1)[0]
    raw = _WORD_RE.findall(head)
    capitalised = [w for w in raw if w[:1].isupper() and fold(w) not in TITLES and len(w) > 1]
    pool = capitalised or [w for w in raw if fold(w) not in TITLES and fold(w) not in FUNCTION_WORDS]
    return fold(pool[-1]) if pool else None


def same_speaker(a: str | None, b: str | None) -> bool:
    """True when two descriptions of a speaker share their :func:`name_key` ("Zelensky", "Volodymyr Zelensky")."""
    return bool(a and b) and name_key(a) is not None and name_key(a) == name_key(b)  # type: ignore[arg-type]


def names(speaker: str, text: str) -> bool:
    """True when ``text`` names ``speaker`` (its :func:`name_key` is one of the text's words)."""
    key = name_key(speaker)
    return key is not None and key in words(text)


#: Words a yes/no question opens with ("Did Lukashenko apologize?", "Is it true that …?").
AUXILIARIES: frozenset[str] = frozenset(
    "did does do is are was were has have had will would can could should shall may might must".split()
)


def asks_yes_no(question: str) -> bool:
    """True when ``question`` opens like a yes/no question (with an auxiliary verb), by its first word alone."""
    first = words(question)[:1]
    return bool(first) and first[0] in AUXILIARIES
