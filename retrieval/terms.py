"""Words as retrieval matches them: tokens with offsets, lower-cased Snowball stems, and stop words.

The same normalisation BM25 uses (``bm25s`` with the English Snowball stemmer and its English stop words),
so the match ranking and BM25 agree on what a word is. Meaning — synonyms, paraphrase — is the dense
retriever's job and the reader's, not a table here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

_STEMMER = Stemmer.Stemmer("english")
_STOP = frozenset(STOPWORDS_EN_PLUS)
_TOKEN_RE = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[^\W_]+(?:[’'\-.][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    """A word or number with its span in the text it came from."""

    text: str
    start: int
    end: int

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit() or self.text[:1] == "$"


def tokens(text: str) -> list[Token]:
    """Words and numbers of ``text``."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The lower-cased stem ("apologized" → "apolog"), possessives and apostrophes dropped."""
    w = word.lower().replace("’", "'").removesuffix("'s").strip("'.")
    return _STEMMER.stemWord(w) if w.isalpha() else w


def is_stopword(word: str) -> bool:
    return word.lower() in _STOP
