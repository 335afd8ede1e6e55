"""The offline reader beside the model: where it reads a cited sentence otherwise, and what it also found.

The offline reader's answer (:func:`newsbot.engine.compose` over the same
question and evidence, planted instructions removed) never overrides the
model's. It is used for three things, each shown as what it is:

- **attribution**: a speaker the offline reader credits with a sentence
  counts as named for it by the article (:func:`Readings.credits`), beside
  the sentence and its paragraph naming them;
- **differences**: for each sentence the answer cites that the offline reader
  cites too, a stance or a speaker it reads otherwise becomes a note
  (:func:`differences`); the answer keeps the model's;
- **also found**: when the model takes one side of a yes/no claim and the
  offline reader found the opposite side (a who/what/when question has none), that side is added after the
  model's, its text starting "Also found (offline reader)" and a note
  saying so (:func:`also_found`). It never changes the verdict, which is the
  model's; sentences the model cites are not cited again for it.

Only what :func:`~newsbot.engine.compose` returns at run time is used, so the
reader can change without touching this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbot.engine import CitationBook
from newsbot.llm.notes import ALSO_FOUND_SIDE, also_found_note, credits_note, reads_note
from newsbot.llm.words import asks_yes_no, name_key, same_speaker
from newsbot.models import Answer, Citation, Side, Stance


@dataclass(frozen=True)
class Reading:
    """How the offline reader reads one sentence it cites: its stance and speaker."""

    article_id: str
    start: int
    end: int
    stance: Stance
    speaker: str | None
    side: Side


class Readings:
    """The offline reader's answer, indexed by the spans it cites."""

    def __init__(self, offline: Answer) -> None:
        self.answer = offline
        by_n = {c.n: c for c in offline.citations}
        self.all = [Reading(by_n[n].article_id, by_n[n].start, by_n[n].end, s.stance, s.speaker, s)
                    for s in offline.sides for n in s.citations if n in by_n]

    def of(self, article_id: str, start: int, end: int) -> list[Reading]:
        """The offline reader's readings of text overlapping ``[start, end)`` of the article."""
        return [r for r in self.all if r.article_id == article_id and r.start < end and start < r.end]

    def credits(self, article_id: str, start: int, end: int, speaker: str) -> bool:
        """True when the offline reader credits that text to ``speaker`` (the article's attribution of it)."""
        return any(same_speaker(r.speaker, speaker) for r in self.of(article_id, start, end))


def differences(sides: list[Side], citations: list[Citation], readings: Readings) -> list[str]:
    """One note per cited sentence whose stance or speaker the offline reader reads otherwise."""
    by_n = {c.n: c for c in citations}
    notes: list[str] = []
    for side in sides:
        for n in side.citations:
            c = by_n.get(n)
            theirs = readings.of(c.article_id, c.start, c.end) if c else []
            if not theirs:
                continue
            first = theirs[0]
            if first.stance is not side.stance:
                notes.append(reads_note(n, first.stance.value, side.stance.value))
            speaker = first.speaker or c.publisher or c.title  # no speaker: the outlet's own reporting
            if speaker and side.speaker and name_key(speaker) and not same_speaker(speaker, side.speaker):
                notes.append(credits_note(n, speaker, side.speaker))
    return notes


def also_found(question: str, sides: list[Side], book: CitationBook,
               readings: Readings) -> tuple[list[Side], list[str]]:
    """Sides of the offline reader the model left out, marked as such, with their notes (see the module docstring).

    Added only for a yes/no question (:func:`~newsbot.llm.words.asks_yes_no`), when the model's sides take
    exactly one of supports/refutes and the offline reader has the other; their citations are renumbered into ``book`` after the model's, and a sentence the model cites is
    not cited for them.
    """
    if not asks_yes_no(question):  # "supports" answers a who/what question: it has no opposite side
        return [], []
    taken = {s.stance for s in sides} & {Stance.SUPPORTS, Stance.REFUTES}
    if len(taken) != 1:
        return [], []
    missing = Stance.REFUTES if Stance.SUPPORTS in taken else Stance.SUPPORTS
    cited = list(book.citations)
    by_n = {c.n: c for c in readings.answer.citations}
    added: list[Side] = []
    notes: list[str] = []
    for side in readings.answer.sides:
        if side.stance is not missing:
            continue
        fresh = [by_n[n] for n in side.citations if n in by_n and not any(
            m.article_id == by_n[n].article_id and m.start < by_n[n].end and by_n[n].start < m.end for m in cited)]
        if not fresh:
            continue
        numbers = [book.cite_citation(c) for c in fresh]
        added.append(side.model_copy(update={"citations": numbers, "text": f"{ALSO_FOUND_SIDE}: {side.text}"}))
        notes.append(also_found_note(side.speaker, side.stance.value, numbers))
    return added, notes
