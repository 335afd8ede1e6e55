"""Verification after generation: the model's reading, with only what can be checked mechanically checked.

Checked, and repaired or dropped where it fails (every change listed in ``Answer.repairs``):

- each **quote** is pinned to an exact span of a passage the model was given
  (:mod:`newsbot.llm.quotes`: wrong passage numbers, other quotation marks,
  near-misses and planted instructions are handled there);
- each quote's **speaker** must be named in the cited article: the quoted
  sentence, its paragraph, the rest of its text or its title, by plain word
  matching (:mod:`newsbot.llm.words`), or be whom the offline reader credits
  the sentence to (the article's attribution of it); otherwise the quote is
  credited to the outlet that published it, and the model's statement for it
  goes. Whether the person named said it is not checkable: it is the model's;
- **no sentence backs two opposite sides**: a sentence already cited for
  ``supports`` is not cited for ``refutes`` (and the reverse);
- a side's **answer** (the value a who/when/how-much question asks for) must
  appear in one of its quotes, and a number in its **statement** in its
  given passages (:mod:`newsbot.llm.sides`); a side's **audience** and
  **time** must appear where its quotes are said
  (:func:`~newsbot.llm.spans.attributed_in`);
- the **verdict** follows the verified sides.

Not checked: the stance of each side and what the speaker claims are the
model's. Where the offline reader reads a cited sentence otherwise, the
answer keeps the model's reading and says so in ``notes``; a side the model
left out is added only as "also found" (:mod:`newsbot.llm.reader`).

A reply whose verdict is ``not_found`` with no sides is respected: the answer
is ``not_found`` and cites nothing. A reply left with no valid citation is the
offline reader's answer with a note.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbot.engine import CitationBook
from newsbot.llm.prompt import MAX_QUOTES_PER_SIDE, MAX_SIDES
from newsbot.llm.quotes import Located, find_in, locate
from newsbot.llm.reader import Readings, also_found, differences
from newsbot.llm.sides import NOTHING_FOUND, Quote, build_side, group_quotes, summary_for, value_of, verdict_for
from newsbot.llm.spans import attributed_in
from newsbot.llm.words import fold, name_key, names
from newsbot.models import Answer, Evidence, Stance, Verdict

MAX_STATEMENT = 300
MAX_VALUE = 120
OPPOSITE = {Stance.SUPPORTS: Stance.REFUTES, Stance.REFUTES: Stance.SUPPORTS}
NO_CITATION = "The model's answer had no valid citation; the extractive answer is shown."
NO_SIDES = "The model's answer had no sides; the extractive answer is shown."


def verify(question: str, evidence: Sequence[Evidence], reply: dict, offline: Answer, *,
           prompt_version: str, truncated: bool = False) -> Answer:
    """The model's ``reply`` (parsed JSON) checked against ``evidence`` (see the module docstring).

    ``evidence`` is what the model was given; ``offline`` is the offline reader's answer (planted
    instructions already removed), used for attribution, notes and "also found" only.
    """
    repairs = ["the model's reply was cut off; its complete parts were used"] if truncated else []
    raw_sides = reply.get("sides")
    if not raw_sides:
        if reply.get("verdict") == "not_found":
            return abstained(question, offline, repairs, prompt_version)
        return _fallback(offline, NO_SIDES, repairs, prompt_version)
    readings = Readings(offline)
    quotes = _quotes(raw_sides, evidence, readings, repairs)
    if not quotes:
        return _fallback(offline, NO_CITATION, repairs, prompt_version)
    book = CitationBook()
    given = "\n".join(ev.chunk.text for ev in evidence)
    sides = [build_side(question, group, value_of(group, repairs), book, repairs, given)
             for group in group_quotes(quotes)]
    verdict = verdict_for({s.stance for s in sides})
    claimed = str(reply.get("verdict") or "")
    if claimed != verdict.value:
        repairs.append(f"verdict {claimed[:20] or '(none)'!r} changed to {verdict.value!r} to match the verified sides")
    notes = differences(sides, book.citations, readings)
    added, added_notes = also_found(question, sides, book, readings)
    return Answer(question=question, verdict=verdict, summary=summary_for(verdict, sides, added), kind=offline.kind,
                  sides=[*sides, *added], citations=book.citations, mode="llm", notes=[*notes, *added_notes],
                  repairs=repairs, prompt_version=prompt_version)


def abstained(question: str, offline: Answer, repairs: list[str], prompt_version: str | None) -> Answer:
    """The model's ``not_found``, respected: nothing cited; a note when the offline reader did find something."""
    notes = [] if offline.verdict is Verdict.NOT_FOUND else [
        f"The model found no answer in the passages; the offline reader's verdict is {offline.verdict.value}."]
    return Answer(question=question, verdict=Verdict.NOT_FOUND, summary=NOTHING_FOUND, kind=offline.kind,
                  mode="llm", notes=notes, repairs=repairs, prompt_version=prompt_version)


def _fallback(offline: Answer, note: str, repairs: list[str], prompt_version: str) -> Answer:
    return offline.model_copy(update={"notes": [*offline.notes, note], "repairs": [*offline.repairs, *repairs],
                                      "prompt_version": prompt_version, "mode": "extractive"})


def _quotes(raw_sides: object, evidence: Sequence[Evidence], readings: Readings, repairs: list[str]) -> list[Quote]:
    """Every quote of the reply that survives the checks, with its side's stance and checked speaker."""
    if not isinstance(raw_sides, list):
        repairs.append("the reply had no list of sides")
        return []
    if len(raw_sides) > MAX_SIDES:
        repairs.append(f"{len(raw_sides) - MAX_SIDES} sides beyond the first {MAX_SIDES} ignored")
    out: list[Quote] = []
    for k, raw in enumerate(raw_sides[:MAX_SIDES], 1):
        if not isinstance(raw, dict):
            repairs.append(f"side {k}: not an object, dropped")
            continue
        stance = _stance(k, raw.get("stance"), repairs)
        claimed = _text(raw.get("speaker"), 120)
        statement = _text(raw.get("statement"), MAX_STATEMENT) or None
        value = _text(raw.get("answer"), MAX_VALUE) or None
        items = raw.get("evidence") if isinstance(raw.get("evidence"), list) else []
        if len(items) > MAX_QUOTES_PER_SIDE:
            repairs.append(f"side {k}: quotes beyond the first {MAX_QUOTES_PER_SIDE} ignored")
        kept = 0
        for item in items[:MAX_QUOTES_PER_SIDE]:
            if not isinstance(item, dict):
                repairs.append(f"side {k}: malformed evidence dropped")
                continue
            found = locate(item.get("passage"), item.get("quote"), evidence)
            if isinstance(found, str):
                repairs.append(f"side {k}: {found}")
                continue
            if found.repair:
                repairs.append(f"side {k}: {found.repair}")
            other = _opposite(out, stance, found)
            if other is not None:
                repairs.append(f"side {k}: the quote from passage {found.passage} is a sentence already cited for "
                               f"side {other.side} ({other.stance.value}); one sentence cannot back both, dropped here")
                continue
            where = attributed_in(found.evidence.article.text, found.start, found.end)
            speaker, key, named = _credited(k, claimed, found, readings, repairs)
            out.append(Quote(side=k, stance=stance, speaker=speaker, key=key, found=found,
                             statement=statement if named else None, value=value, where=where))
            kept += 1
        if not kept:
            repairs.append(f"side {k}: no valid quote left, dropped")
        else:
            _said(k, raw, [q for q in out if q.side == k], repairs)
    return out


def _said(k: int, raw: dict, quotes: list[Quote], repairs: list[str]) -> None:
    """The side's audience and time, as the article writes them where its quotes are said; else dropped."""
    for what, field in (("audience", "audience"), ("time", "when")):
        text = _text(raw.get(field), MAX_VALUE)
        if not text:
            continue
        found = next((f for f in (find_in(q.where, text) for q in quotes) if f is not None), None)
        if found is None:
            repairs.append(f"side {k}: {what} {text[:40]!r} is not where its quotes are said, dropped")
            continue
        for q in quotes:
            setattr(q, field, found)


def _credited(k: int, claimed: str, found: Located, readings: Readings, repairs: list[str]) -> tuple[str, str, bool]:
    """(speaker, grouping key, whether the model's speaker stands) for one quote.

    The model's speaker stands when the cited article names them (sentence, paragraph, the rest of its text or
    its title) or the offline reader credits them with the sentence; otherwise the outlet is credited.
    """
    article = found.evidence.article
    outlet = article.publisher or article.title or article.id
    outlet_key = f"outlet:{fold(outlet)}"
    if claimed and (fold(claimed) == fold(outlet) or names(claimed, outlet)):
        return claimed, outlet_key, True
    if claimed and name_key(claimed):
        if names(claimed, f"{article.title}\n{article.text}") \
                or readings.credits(article.id, found.start, found.end, claimed):
            return claimed, str(name_key(claimed)), True
        repairs.append(f"side {k}: {claimed!r}, to whom the quote from passage {found.passage} is credited, is not "
                       f"named in the article; credited to {outlet}")
    else:
        repairs.append(f"side {k}: no speaker given for the quote from passage {found.passage}; credited to {outlet}")
    return outlet, outlet_key, False


def _opposite(kept: list[Quote], stance: Stance, found: Located) -> Quote | None:
    """A kept quote of the opposite stance that cites a sentence ``found`` cites too, if any."""
    against = OPPOSITE.get(stance)
    if against is None:
        return None
    mine = _sentence_keys(found)
    return next((q for q in kept if q.stance is against and _sentence_keys(q.found) & mine), None)


def _sentence_keys(found: Located) -> set[tuple[str, int]]:
    spans = found.sentences() or []
    starts = [s.start for s in spans] or [found.start]
    return {(found.evidence.article.id, s) for s in starts}


def _text(value: object, limit: int) -> str:
    return str(value).strip()[:limit] if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def _stance(k: int, value: object, repairs: list[str]) -> Stance:
    try:
        return Stance(str(value).strip().lower())
    except ValueError:
        repairs.append(f"side {k}: stance {str(value)[:20]!r} is none of supports, refutes, context; read as context")
        return Stance.CONTEXT
