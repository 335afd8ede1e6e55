"""The notes an LLM answer carries about the offline reader, and their short form for a Discord footer.

An LLM answer keeps the model's reading. Where the offline reader
(:func:`newsbot.engine.compose`) reads a cited sentence otherwise, or found a
side the model left out, ``Answer.notes`` says so in full, one note each
(the JSON shows them as they are)::

    The offline reader reads [2] as refutes, the model as supports; the model's reading is kept.
    The offline reader credits [2] to Natalya Eismont, the model to Volodymyr Zelensky; the model's is kept.
    Also found by the offline reader, not in the model's answer: Natalya Eismont, refutes [3].

:func:`footer` folds them into one short line for the Discord footer
("offline reader: reads [2] otherwise; also found [3]") and passes every other
note through. Pure string work, importable without the rest of the LLM mode.
"""

from __future__ import annotations

import re

READS = "The offline reader reads"
CREDITS = "The offline reader credits"
ALSO_FOUND = "Also found by the offline reader, not in the model's answer:"
#: The text an added side starts with, so no reader mistakes it for the model's.
ALSO_FOUND_SIDE = "Also found (offline reader)"
_CITED_RE = re.compile(r"\[\d+\]")


def reads_note(n: int, offline: str, model: str) -> str:
    """The note for a cited sentence whose stance the offline reader reads otherwise."""
    return f"{READS} [{n}] as {offline}, the model as {model}; the model's reading is kept."


def credits_note(n: int, offline: str, model: str) -> str:
    """The note for a cited sentence the offline reader credits to someone else."""
    return f"{CREDITS} [{n}] to {offline}, the model to {model}; the model's is kept."


def also_found_note(speaker: str | None, stance: str, numbers: list[int]) -> str:
    """The note for a side added from the offline reader."""
    cited = "".join(f"[{n}]" for n in numbers)
    return f"{ALSO_FOUND} {speaker or 'a source'}, {stance} {cited}."


def footer(notes: list[str]) -> str:
    """All notes as one line, the offline reader's folded into "offline reader: reads [2] otherwise; also found [3]"."""
    otherwise: list[str] = []
    also: list[str] = []
    rest: list[str] = []
    for note in notes:
        if note.startswith((READS, CREDITS)):
            n = _CITED_RE.search(note)
            if n and n.group() not in otherwise:
                otherwise.append(n.group())
        elif note.startswith(ALSO_FOUND):
            also.extend(_CITED_RE.findall(note))
        else:
            rest.append(note)
    reader = "; ".join(x for x in (f"reads {', '.join(otherwise)} otherwise" if otherwise else "",
                                   f"also found {', '.join(also)}" if also else "") if x)
    return " ".join([*rest, *([f"offline reader: {reader}"] if reader else [])])
