"""Verification after generation: whatever the model wrote, the answer cites only what the passages say.

- A citation to a passage that was not given is dropped.
- A quote that is not an exact substring of its passage is repaired to the
  closest whole sentence of that passage, or dropped if none is close.
- A quote credited to the wrong speaker is re-credited to the speaker the
  article's own attribution gives (or to the outlet), never left wrong.
- If the evidence has a supporting and a refuting side (per the extractive
  engine) and the answer shows only one, the missing side is added from the
  extractive answer and the verdict becomes ``contested``.
- An answer left with no valid citation falls back to the extractive answer.
Every repair is recorded in ``Answer.repairs``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbot.engine.attribution import analyze_article, name_key
from newsbot.engine.wording import CitationBook
from newsbot.models import Answer, Evidence, Side, Stance, Verdict
from newsbot.text import term

MIN_OVERLAP = 0.5


def verify(question: str, evidence: Sequence[Evidence], reply: dict, extractive: Answer, *,
           prompt_version: str) -> Answer:
    """The model's ``reply`` (parsed JSON) checked against ``evidence`` and repaired."""
    repairs: list[str] = []
    book = CitationBook()
    sides: list[Side] = []
    for k, raw in enumerate(reply.get("sides") or [], 1):
        if not isinstance(raw, dict):
            repairs.append(f"side {k}: not an object, dropped")
            continue
        stance = _stance(raw.get("stance"))
        speaker = str(raw.get("speaker") or "").strip() or None
        numbers: list[int] = []
        for item in raw.get("evidence") or []:
            cited = _check(item, evidence, speaker, repairs, k)
            if cited is None:
                continue
            ev, start, end, attributed = cited
            if attributed and speaker and not _same_person(attributed, speaker):
                repairs.append(f"side {k}: quote credited to {speaker!r} is {attributed!r}'s; speaker corrected")
                speaker = attributed
            numbers.append(book.cite(ev.article, start, end))
        if not numbers:
            repairs.append(f"side {k}: no valid quote left, dropped")
            continue
        text = str(raw.get("statement") or "").strip() or "(no statement)"
        sides.append(Side(stance=stance, speaker=speaker, text=text[:500], citations=sorted(set(numbers))))

    if not sides:
        note = "the model's answer had no valid citation; showing the extractive answer"
        return extractive.model_copy(update={"notes": [*extractive.notes, note], "repairs": repairs,
                                             "prompt_version": prompt_version, "mode": "extractive"})
    stances = {s.stance for s in sides}
    for needed in (Stance.SUPPORTS, Stance.REFUTES):
        has_both = {Stance.SUPPORTS, Stance.REFUTES} <= {s.stance for s in extractive.sides}
        if has_both and needed not in stances:
            for side in (s for s in extractive.sides if s.stance is needed):
                sides.append(_borrow(side, extractive, book))
            repairs.append(f"missing {needed.value} side added from the evidence")
    stances = {s.stance for s in sides}
    verdict = _verdict(stances, reply.get("verdict"))
    summary = _summary(question, verdict, sides)
    return Answer(question=question, verdict=verdict, summary=summary, sides=sides, citations=book.citations,
                  mode="llm", repairs=repairs, prompt_version=prompt_version)


def _check(item: object, evidence: Sequence[Evidence], speaker: str | None, repairs: list[str],
           k: int) -> tuple[Evidence, int, int, str | None] | None:
    """(evidence, start, end, attributed speaker) for a valid or repaired quote, else None."""
    if not isinstance(item, dict):
        repairs.append(f"side {k}: malformed evidence dropped")
        return None
    try:
        n = int(item.get("passage"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        n = 0
    quote = str(item.get("quote") or "").strip()
    if not 1 <= n <= len(evidence):
        repairs.append(f"side {k}: citation to passage {n}, which was not given, dropped")
        return None
    ev = evidence[n - 1]
    sentences = analyze_article(ev.article.text).within(ev.chunk.start, ev.chunk.end)
    at = ev.chunk.text.find(quote) if quote else -1
    if at >= 0 and len(quote) >= 8:
        start = ev.chunk.start + at
        end = start + len(quote)
        holder = next((s for s in sentences if s.start <= start < s.end), None)
    else:
        holder = _closest(quote, sentences)
        if holder is None:
            repairs.append(f"side {k}: quote not found in passage {n}, dropped")
            return None
        start, end = holder.start, holder.end
        repairs.append(f"side {k}: inexact quote replaced by the closest sentence of passage {n}")
    attributed = holder.attribution.speaker if holder is not None else None
    return ev, start, end, attributed


def _same_person(attributed: str, claimed: str) -> bool:
    """"Natalya Eismont" and "Eismont, the press secretary" are the same person (surname match)."""
    return name_key(attributed) in {term(w) for w in re.findall(r"[\w’'-]+", claimed)}


def _closest(quote: str, sentences: list) -> object | None:
    words = set(re.findall(r"\w+", quote.lower()))
    if not words:
        return None
    best, score = None, 0.0
    for s in sentences:
        other = set(re.findall(r"\w+", s.text.lower()))
        overlap = len(words & other) / len(words | other) if other else 0.0
        if overlap > score:
            best, score = s, overlap
    return best if score >= MIN_OVERLAP else None


def _borrow(side: Side, extractive: Answer, book: CitationBook) -> Side:
    by_n = {c.n: c for c in extractive.citations}
    return side.model_copy(update={"citations": [book.cite_citation(by_n[n]) for n in side.citations]})


def _stance(value: object) -> Stance:
    try:
        return Stance(str(value).lower())
    except ValueError:
        return Stance.CONTEXT


def _verdict(stances: set[Stance], claimed: object) -> Verdict:
    if {Stance.SUPPORTS, Stance.REFUTES} <= stances:
        return Verdict.CONTESTED
    if Stance.SUPPORTS in stances:
        return Verdict.SUPPORTED
    if Stance.REFUTES in stances:
        return Verdict.REFUTED
    return Verdict.CONTEXT


def _summary(question: str, verdict: Verdict, sides: list[Side]) -> str:
    lead = {Verdict.CONTESTED: "Contested: the sources disagree.", Verdict.SUPPORTED: "Supported by the sources.",
            Verdict.REFUTED: "Refuted by the sources.", Verdict.CONTEXT: "Related reporting, no direct answer."}
    parts = [f"{s.speaker or 'A source'}: {s.text} {''.join(f'[{n}]' for n in s.citations)}" for s in sides]
    return f"{lead.get(verdict, '')} " + "; ".join(parts)
