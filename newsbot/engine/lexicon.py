"""The reader's language knowledge, read once from ``data/lexicon.yaml``.

Lists are lemmas (spaCy's lemmatiser writes them) and are applied over the parse — a reporting verb's
subject, a negation attached to a matched predicate — never as free-text patterns. Phrases are lemma
sequences matched on a sentence's lemmas. Nothing here is a word list kept twice: every module that needs
one of these sets takes it from :data:`LEXICON`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Lexicon:
    """The lists of ``lexicon.yaml`` as frozen sets (and the question-word table as a dict)."""

    raw: dict

    def words(self, name: str) -> frozenset[str]:
        """One flat list of the file, lower case."""
        return frozenset(str(w).lower() for w in self.raw.get(name) or [])

    @cached_property
    def pronouns(self) -> dict[str, str]:
        """Each personal pronoun (lower case) and what it stands for: person, thing, plural or first."""
        return {str(k).lower(): str(v) for k, v in self.raw["pronouns"].items()}

    @cached_property
    def third_person(self) -> dict[str, str]:
        """The pronouns that point at someone or something named elsewhere (not "I", "we"), with their kinds."""
        return {word: kind for word, kind in self.pronouns.items() if kind != "first"}

    def entities(self, kind: str) -> frozenset[str]:
        """The entity labels of one kind (``entity_kinds``: source, time, measure)."""
        return frozenset(self.raw["entity_kinds"][kind])

    @cached_property
    def asserting(self) -> frozenset[str]:
        return frozenset(self.raw["reporting"]["assert"])

    @cached_property
    def denying(self) -> frozenset[str]:
        return frozenset(self.raw["reporting"]["deny"])

    @cached_property
    def reporting(self) -> frozenset[str]:
        return self.asserting | self.denying

    @cached_property
    def claim_nouns(self) -> frozenset[str]:
        return self.words("claim_nouns")

    @cached_property
    def falsity(self) -> frozenset[str]:
        return self.words("falsity")

    @cached_property
    def truth(self) -> frozenset[str]:
        return self.words("truth")

    @cached_property
    def negators(self) -> frozenset[str]:
        return self.words("negators")

    @cached_property
    def hedges(self) -> frozenset[str]:
        return self.words("hedges")

    @cached_property
    def unrealised(self) -> frozenset[str]:
        return self.words("unrealised")

    @cached_property
    def chat_openers(self) -> tuple[str, ...]:
        return tuple(sorted(self.words("chat_openers"), key=len, reverse=True))

    @cached_property
    def claim_frames(self) -> tuple[str, ...]:
        return tuple(sorted(self.words("claim_frames"), key=len, reverse=True))

    @cached_property
    def wh_types(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in (self.raw.get("wh_types") or {}).items()}

    @cached_property
    def answer_nouns(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in (self.raw.get("answer_nouns") or {}).items()}

    def phrases(self, name: str) -> tuple[tuple[str, ...], ...]:
        """Lemma sequences of ``phrases.<name>``, longest first."""
        items = (self.raw.get("phrases") or {}).get(name) or []
        return tuple(sorted((tuple(p.lower().split()) for p in items), key=len, reverse=True))


def _load() -> Lexicon:
    with (DATA / "lexicon.yaml").open(encoding="utf-8") as fh:
        return Lexicon(yaml.safe_load(fh))


LEXICON = _load()


def has_phrase(lemmas: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """True when one of ``phrases`` occurs as consecutive ``lemmas``."""
    for p in phrases:
        n = len(p)
        for i in range(len(lemmas) - n + 1):
            if tuple(lemmas[i : i + n]) == p:
                return True
    return False
