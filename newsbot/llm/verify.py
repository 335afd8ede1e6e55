"""Verification after generation: whatever the model wrote, the answer cites only what the passages say.

Each quote is pinned to an exact span of a given passage or dropped
(:mod:`newsbot.llm.quotes`). Then, per quote:

- its **speaker** is checked against the article's own attribution of that
  sentence (the one the extractive engine uses): a quote credited to someone
  else is re-credited to the person the article names, or to the outlet when
  the outlet itself reports it;
- its **stance** is checked against the extractive engine's judgement of the
  same sentence, where the engine made one, and corrected if it disagrees.

Quotes are grouped into sides by stance and speaker. A side's statement (the
model's own words) is kept only if its words come from the passages it cites
(and, for a supporting side, it does not negate the claim); otherwise it is
replaced by a plain wording. If the evidence has a supporting and a refuting
side (per the extractive engine) and the answer lacks one, that side is added
from the extractive answer; the verdict always follows the sides. An answer
left with no valid citation becomes the extractive answer with a note. Every
change is listed in ``Answer.repairs``; citations are numbered 1..N in order of use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.engine.attribution import name_key
from newsbot.engine.question import analyze
from newsbot.engine.wording import CitationBook
from newsbot.llm.injection import is_tainted
from newsbot.llm.prompt import MAX_QUOTES_PER_SIDE, MAX_SIDES
from newsbot.llm.quotes import Located, content_terms, find_in, locate
from newsbot.models import Answer, Evidence, Side, Stance, Verdict
from newsbot.text import is_negation, term, tokens

UNSUPPORTED_MAX = 0.25  # share of a statement's content words allowed to be absent from its passages
MAX_STATEMENT = 300
MAX_VALUE = 120
TAINT_REMOVED = "text that reads as an instruction to the model removed from the sources"


@dataclass
class _Quote:
    side: int  # 1-based number of the model's side it came from
    stance: Stance
    speaker: str
    key: str
    found: Located
    statement: str | None  # the model's statement, while it still belongs to this quote
    value: str | None = None  # the model's answer to a who/when/how-much question


def verify(question: str, evidence: Sequence[Evidence], reply: dict, extractive: Answer, *,
           prompt_version: str, truncated: bool = False) -> Answer:
    """The model's ``reply`` (parsed JSON) checked against ``evidence`` and repaired (see the module docstring)."""
    repairs = ["the model's reply was cut off; its complete parts were used"] if truncated else []
    extractive = without_tainted(extractive, evidence)
    quotes = _quotes(reply, evidence, extractive, repairs)
    if not quotes:
        abstained = reply.get("verdict") == "not_found" and not reply.get("sides")
        note = "The model found no answer in the passages; the extractive answer is shown." if abstained \
            else "The model's answer had no valid citation; the extractive answer is shown."
        return extractive.model_copy(update={"notes": [*extractive.notes, note],
                                             "repairs": [*extractive.repairs, *repairs],
                                             "prompt_version": prompt_version, "mode": "extractive"})
    book = CitationBook()
    sides = [_side(question, group, book, repairs) for group in _groups(quotes)]
    present = {s.stance for s in sides}
    if {Stance.SUPPORTS, Stance.REFUTES} <= {s.stance for s in extractive.sides}:
        for needed in (Stance.SUPPORTS, Stance.REFUTES):
            if needed not in present:
                sides.extend(_borrow(s, extractive, book) for s in extractive.sides if s.stance is needed)
                repairs.append(f"missing {needed.value} side added from the extractive answer")
    verdict = verdict_for({s.stance for s in sides})
    claimed = str(reply.get("verdict") or "")
    if claimed != verdict.value:
        repairs.append(f"verdict {claimed[:20] or '(none)'!r} changed to {verdict.value!r} to match the verified sides")
    return Answer(question=question, verdict=verdict, summary=summary_for(verdict, sides), sides=sides,
                  citations=book.citations, mode="llm", repairs=repairs, prompt_version=prompt_version)


def _quotes(reply: dict, evidence: Sequence[Evidence], extractive: Answer, repairs: list[str]) -> list[_Quote]:
    raw_sides = reply.get("sides")
    if not isinstance(raw_sides, list):
        repairs.append("the reply had no list of sides")
        return []
    if len(raw_sides) > MAX_SIDES:
        repairs.append(f"{len(raw_sides) - MAX_SIDES} sides beyond the first {MAX_SIDES} ignored")
    judged = _engine_stances(extractive)
    out: list[_Quote] = []
    for k, raw in enumerate(raw_sides[:MAX_SIDES], 1):
        if not isinstance(raw, dict):
            repairs.append(f"side {k}: not an object, dropped")
            continue
        stance = _stance(raw.get("stance"))
        claimed = str(raw.get("speaker") or "").strip()[:120]
        statement = str(raw.get("statement") or "").strip()[:MAX_STATEMENT] or None
        value = str(raw.get("answer") or "").strip()[:MAX_VALUE] or None
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
            quote = _checked(k, stance, claimed, statement, found, judged, repairs)
            quote.value = value
            other = next((q for q in out if _overlap(q.found, found) and (q.stance, q.key) != (quote.stance, quote.key)),
                         None)
            if other is not None:
                repairs.append(f"side {k}: the quote from passage {found.passage} is already cited for side "
                               f"{other.side} ({other.stance.value}); dropped here")
                continue
            out.append(quote)
            kept += 1
        if not kept:
            repairs.append(f"side {k}: no valid quote left, dropped")
    return out


def _checked(k: int, stance: Stance, claimed: str, statement: str | None, found: Located,
             judged: list[tuple[str, int, int, Stance]], repairs: list[str]) -> _Quote:
    """One quote with its speaker and stance checked against the article and the extractive engine."""
    article = found.evidence.article
    attribution = found.sentence.attribution if found.sentence is not None else None
    if attribution is not None and attribution.speaker:
        key = attribution.key or name_key(attribution.speaker)
        named = f"{attribution.speaker} ({attribution.role})" if attribution.role else attribution.speaker
        speaker = claimed if claimed and _names(claimed, key) else named
        owner = f"{attribution.speaker}'s, the article says"
    else:
        outlet = article.publisher or article.title or article.id
        key = f"outlet:{outlet}"
        speaker = claimed if claimed and _names(claimed, name_key(outlet)) else outlet
        owner = f"{outlet}'s own reporting"
    if claimed and speaker != claimed:
        statement = None  # it described what the wrong person says
        repairs.append(f"side {k}: quote credited to {claimed!r} is {owner}; speaker corrected")
    engine = next((st for aid, s, e, st in judged if aid == article.id and s < found.end and found.start < e), None)
    if engine is not None and engine is not stance:
        repairs.append(f"side {k}: the quote from passage {found.passage} {engine.value} the claim; "
                       f"stance {stance.value!r} corrected")
        stance, statement = engine, None
    return _Quote(side=k, stance=stance, speaker=speaker, key=key, found=found, statement=statement)


def _overlap(a: Located, b: Located) -> bool:
    return a.evidence.article.id == b.evidence.article.id and a.start < b.end and b.start < a.end


def _names(claimed: str, key: str) -> bool:
    """"Natalya Eismont" and "Eismont, the press secretary" name the same person (by surname term)."""
    return key in {term(t.text) for t in tokens(claimed)}


def _engine_stances(extractive: Answer) -> list[tuple[str, int, int, Stance]]:
    """(article id, start, end, stance) of every sentence the extractive engine took a side with."""
    by_n = {c.n: c for c in extractive.citations}
    return [(by_n[n].article_id, by_n[n].start, by_n[n].end, s.stance)
            for s in extractive.sides if s.stance is not Stance.CONTEXT for n in s.citations if n in by_n]


def _groups(quotes: list[_Quote]) -> list[list[_Quote]]:
    groups: dict[tuple[Stance, str], list[_Quote]] = {}
    for q in quotes:
        groups.setdefault((q.stance, q.key), []).append(q)
    return list(groups.values())


def _side(question: str, group: list[_Quote], book: CitationBook, repairs: list[str]) -> Side:
    stance = group[0].stance
    speaker = max((q.speaker for q in group), key=len)
    numbers: list[int] = []
    for q in group:
        n = book.cite(q.found.evidence.article, q.found.start, q.found.end)
        if n not in numbers:
            numbers.append(n)
    passages = " ".join({q.found.evidence.chunk.id: q.found.evidence.chunk.text for q in group}.values())
    statement = next((q.statement for q in group if q.statement), None)
    if statement is not None and not _supported(statement, stance, passages, question, speaker):
        repairs.append(f"side {group[0].side}: statement not supported by its passages, replaced")
        statement = None
    if statement is None:
        statement = _plain_statement(question, stance, group[0])
    attribution = group[0].found.sentence.attribution if group[0].found.sentence is not None else None
    return Side(stance=stance, speaker=speaker, text=f"{speaker}: {statement}", citations=numbers,
                audience=attribution.audience if attribution else None,
                when=attribution.when if attribution else None, answer=_value(group, repairs))


def _value(group: list[_Quote], repairs: list[str]) -> str | None:
    """The side's answer to a value question, as its quote writes it; dropped if no quote states it."""
    value = next((q.value for q in group if q.value), None)
    if value is None:
        return None
    quotes = [q.found.evidence.article.text[q.found.start : q.found.end] for q in group]
    found = next((f for f in (find_in(quote, value) for quote in quotes) if f is not None), None)
    if found is not None:
        return found
    repairs.append(f"side {group[0].side}: answer {value[:40]!r} is not in its quotes, dropped")
    return None


def _supported(statement: str, stance: Stance, passages: str, question: str, speaker: str) -> bool:
    """True when the statement's words come from its passages (or the question) and it fits its stance."""
    words = [t for t in tokens(statement) if content_terms(t.text)]
    if not words:
        return False
    known = content_terms(passages) | content_terms(question) | content_terms(speaker)
    unknown = [t for t in words if term(t.text) not in known]
    if any(t.is_number for t in unknown) or len(unknown) > UNSUPPORTED_MAX * len(words):
        return False
    negates = any(is_negation(t.text) for t in tokens(statement))
    asked_negated = any(is_negation(t.text) for t in tokens(question))
    return not (stance is Stance.SUPPORTS and negates and not asked_negated)


def _plain_statement(question: str, stance: Stance, quote: _Quote) -> str:
    q = analyze(question)
    if q.kind == "yesno" and stance is Stance.SUPPORTS and q.affirmative:
        return q.affirmative
    if q.kind == "yesno" and stance is Stance.REFUTES and q.negative:
        return q.negative
    text = quote.found.evidence.article.text[quote.found.start : quote.found.end]
    return text if len(text) <= 200 else text[:199].rstrip() + "…"


def _borrow(side: Side, extractive: Answer, book: CitationBook) -> Side:
    by_n = {c.n: c for c in extractive.citations}
    return side.model_copy(update={"citations": [book.cite_citation(by_n[n]) for n in side.citations if n in by_n]})


def without_tainted(answer: Answer, evidence: Sequence[Evidence]) -> Answer:
    """``answer`` without citations of text that reads as an instruction to a model (sides left empty go too)."""
    texts = {ev.article.id: ev.article.text for ev in evidence}
    bad = {c.n for c in answer.citations
           if (is_tainted(texts[c.article_id], c.start, c.end) if c.article_id in texts
               else is_tainted(c.quote, 0, len(c.quote)))}
    if not bad:
        return answer
    book = CitationBook()
    by_n = {c.n: c for c in answer.citations}
    sides = []
    for s in answer.sides:
        kept = [book.cite_citation(by_n[n]) for n in s.citations if n in by_n and n not in bad]
        if kept:
            sides.append(s.model_copy(update={"citations": kept}))
    verdict = verdict_for({s.stance for s in sides}) if sides else Verdict.NOT_FOUND
    summary = summary_for(verdict, sides) if sides else \
        "The corpus holds nothing usable that answers this question, so there is nothing to cite."
    return answer.model_copy(update={"sides": sides, "citations": book.citations, "verdict": verdict,
                                     "summary": summary,
                                     "repairs": [*answer.repairs, TAINT_REMOVED]})


def _stance(value: object) -> Stance:
    try:
        return Stance(str(value).strip().lower())
    except ValueError:
        return Stance.CONTEXT


def verdict_for(stances: set[Stance]) -> Verdict:
    """The verdict the sides support: both stances -> contested, one -> supported/refuted, else context."""
    if {Stance.SUPPORTS, Stance.REFUTES} <= stances:
        return Verdict.CONTESTED
    if Stance.SUPPORTS in stances:
        return Verdict.SUPPORTED
    if Stance.REFUTES in stances:
        return Verdict.REFUTED
    return Verdict.CONTEXT if stances else Verdict.NOT_FOUND


def summary_for(verdict: Verdict, sides: list[Side]) -> str:
    """One paragraph: the verdict, then each side's statement with its citation numbers."""
    lead = {Verdict.CONTESTED: "Contested: the sources disagree.", Verdict.SUPPORTED: "Supported by the sources.",
            Verdict.REFUTED: "Refuted by the sources.",
            Verdict.CONTEXT: "The sources hold related reporting but no direct answer."}.get(verdict, "")
    parts = [f"{s.text} {''.join(f'[{n}]' for n in s.citations)}" for s in sides]
    return f"{lead} {'; '.join(parts)}.".strip()
