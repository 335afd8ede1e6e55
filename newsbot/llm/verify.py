"""Verification after generation: whatever the model wrote, the answer cites only what the passages say.

Each quote is pinned to an exact span of a given passage or dropped
(:mod:`newsbot.llm.quotes`); a sentence already cited for another side is
not cited again for an opposite one. Then, per quote:

- its **speaker** is checked against the article's own attribution of that
  sentence (the one the extractive engine uses): a quote credited to someone
  else is re-credited to the person the article names, or to the outlet when
  the outlet itself reports it;
- its **stance** is checked against the extractive engine's judgement of the
  same sentence, where the engine made one, and corrected if it disagrees;
  where the engine made none, a yes/no stance needs the claim's verb in the
  quoted sentence ("apologize" for "Did Lukashenko apologize?"), else the
  quote only gives context.

Quotes then become sides (:mod:`newsbot.llm.sides`). For a who/when/how-much
question a side must give a value that one of its quotes states, or it goes.
If the evidence has a supporting and a refuting side (per the extractive
engine) and the answer lacks one, that side is added from the extractive
answer; the verdict always follows the sides. An answer left with no valid
citation becomes the extractive answer with a note. Every change is listed in
``Answer.repairs``.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbot.engine.attribution import analyze_article, name_key
from newsbot.engine.question import Question, analyze
from newsbot.engine.wording import CitationBook
from newsbot.llm.prompt import MAX_QUOTES_PER_SIDE, MAX_SIDES
from newsbot.llm.quotes import Located, locate
from newsbot.llm.sides import (
    Quote,
    borrow,
    build_side,
    group_quotes,
    summary_for,
    value_of,
    verdict_for,
    without_tainted,
)
from newsbot.models import Answer, Evidence, Stance
from newsbot.text import term, tokens

MAX_STATEMENT = 300
MAX_VALUE = 120


def verify(question: str, evidence: Sequence[Evidence], reply: dict, extractive: Answer, *,
           prompt_version: str, truncated: bool = False) -> Answer:
    """The model's ``reply`` (parsed JSON) checked against ``evidence`` and repaired (see the module docstring)."""
    repairs = ["the model's reply was cut off; its complete parts were used"] if truncated else []
    extractive = without_tainted(extractive, evidence)
    asked = analyze(question)
    groups = []
    quotes = _quotes(reply, evidence, extractive, asked, repairs)
    for group in group_quotes(quotes):
        value = value_of(group, repairs)
        if asked.kind == "value" and value is None:
            repairs.append(f"side {group[0].side}: gives no answer that its quotes state, dropped")
            continue
        groups.append((group, value))
    if not groups:
        abstained = reply.get("verdict") == "not_found" and not reply.get("sides")
        if abstained:
            note = "The model found no answer in the passages; the extractive answer is shown."
        elif quotes:
            note = "The model gave no answer that its quotes state; the extractive answer is shown."
        else:
            note = "The model's answer had no valid citation; the extractive answer is shown."
        return extractive.model_copy(update={"notes": [*extractive.notes, note],
                                             "repairs": [*extractive.repairs, *repairs],
                                             "prompt_version": prompt_version, "mode": "extractive"})
    book = CitationBook()
    sides = [build_side(question, group, value, book, repairs) for group, value in groups]
    present = {s.stance for s in sides}
    if {Stance.SUPPORTS, Stance.REFUTES} <= {s.stance for s in extractive.sides}:
        for needed in (Stance.SUPPORTS, Stance.REFUTES):
            if needed not in present:
                sides.extend(borrow(s, extractive, book) for s in extractive.sides if s.stance is needed)
                repairs.append(f"missing {needed.value} side added from the extractive answer")
    verdict = verdict_for({s.stance for s in sides})
    claimed = str(reply.get("verdict") or "")
    if claimed != verdict.value:
        repairs.append(f"verdict {claimed[:20] or '(none)'!r} changed to {verdict.value!r} to match the verified sides")
    return Answer(question=question, verdict=verdict, summary=summary_for(verdict, sides), kind=extractive.kind,
                  sides=sides, citations=book.citations, mode="llm", repairs=repairs, prompt_version=prompt_version)


def _quotes(reply: dict, evidence: Sequence[Evidence], extractive: Answer, asked: Question,
            repairs: list[str]) -> list[Quote]:
    raw_sides = reply.get("sides")
    if not isinstance(raw_sides, list):
        repairs.append("the reply had no list of sides")
        return []
    if len(raw_sides) > MAX_SIDES:
        repairs.append(f"{len(raw_sides) - MAX_SIDES} sides beyond the first {MAX_SIDES} ignored")
    judged = _engine_stances(extractive)
    out: list[Quote] = []
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
            quote = _checked(k, stance, claimed, statement, found, judged, asked, repairs)
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
             judged: list[tuple[str, int, int, Stance]], asked: Question, repairs: list[str]) -> Quote:
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
    elif engine is None and stance is not Stance.CONTEXT and not _bears_on(asked, found):
        repairs.append(f"side {k}: the quote from passage {found.passage} does not mention "
                       f"{asked.predicate!r}; it is context, not {stance.value!r}")
        stance, statement = Stance.CONTEXT, None
    return Quote(side=k, stance=stance, speaker=speaker, key=key, found=found, statement=statement)


def _bears_on(asked: Question, found: Located) -> bool:
    """For a yes/no question, whether the quoted sentences contain the claim's verb (always true otherwise)."""
    if asked.kind != "yesno" or not asked.predicate:
        return True
    sentences = analyze_article(found.evidence.article.text).within(found.start, found.end)
    return any(term(t.text) == asked.predicate for s in sentences for t in s.tokens)


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


def _stance(value: object) -> Stance:
    try:
        return Stance(str(value).strip().lower())
    except ValueError:
        return Stance.CONTEXT


