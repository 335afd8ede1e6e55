"""Wording: sides, numbered citations and the one-paragraph summary, from what the reader found.

Templates say only what was read: who (with role), to whom, when, and the claim as asked, its denial, the
value given, or the sentence itself. Every citation number points at an exact sentence of a stored article
(:class:`CitationBook`), so quotes are exact by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsbot.engine.question import Question
from newsbot.engine.statements import Speaker, Statement
from newsbot.models import Article, Citation, Side, Stance, Verdict


@dataclass
class CitationBook:
    """Numbers citations 1..N in order of first use; the same passage keeps one number."""

    citations: list[Citation] = field(default_factory=list)
    _index: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def cite(self, article: Article, start: int, end: int) -> int:
        key = (article.id, start, end)
        if key not in self._index:
            n = len(self.citations) + 1
            self._index[key] = n
            self.citations.append(Citation(
                n=n, article_id=article.id, title=article.title, publisher=article.publisher,
                published=article.published, url=article.url, quote=article.text[start:end],
                start=start, end=end,
            ))
        return self._index[key]

    def cite_citation(self, citation: Citation) -> int:
        """Re-number a citation from another answer into this book."""
        key = (citation.article_id, citation.start, citation.end)
        if key not in self._index:
            n = len(self.citations) + 1
            self._index[key] = n
            self.citations.append(citation.model_copy(update={"n": n}))
        return self._index[key]


def outlet(article: Article) -> str:
    return article.publisher or article.title or article.id


def side_for(q: Question, stance: Stance, statements: list[Statement], book: CitationBook, *,
             value: str | None = None, holds: Stance | None = None, speaker: Speaker | None = None,
             unconfirmed: bool = False) -> Side:
    """One side: its speaker, to whom and when, what it holds, and its citations (in article order).

    ``holds``: the side's own position on the claim, when it differs from its bearing on the question ("Did
    Zelensky say …?": Eismont's denial is context, worded as her denial). ``speaker`` overrides the
    statements' own (a claim credited to the reports a denial answers).
    """
    holds = holds or stance
    ordered = sorted(statements, key=lambda s: (s.sentence.article.id, s.sentence.start))
    numbers = list(dict.fromkeys(book.cite(s.sentence.article, s.sentence.start, s.sentence.end) for s in ordered))
    who = speaker or next((s.speaker for s in ordered if s.speaker is not None), None)
    audience = next((s.audience for s in ordered if s.audience), None) if speaker is None else None
    when = next((s.when for s in ordered if s.when), None) if speaker is None else None
    if when is None and ordered and ordered[0].sentence.article.published:
        when = f"reported {ordered[0].sentence.article.published}"
    name = who.shown() if who is not None else outlet(ordered[0].sentence.article)
    if speaker is not None:
        name = f"{name}, according to {outlet(ordered[0].sentence.article)}"
    head = ", ".join(x for x in (name, f"to {audience}" if audience else None, when) if x)
    said, denied = (q.claim_wording if holds is not stance and q.claim_wording else (q.affirmative, q.negative))
    if value is not None:
        text = f"{head}: {value}"
    elif holds is Stance.SUPPORTS and q.kind == "yesno":
        text = f"{head}: {said or 'yes'}"
    elif holds is Stance.REFUTES and q.kind == "yesno":
        text = f"{head}: {denied or 'no'}"
    else:
        text = f"{head}: {clip(ordered[0].sentence.text)}"
    if unconfirmed:
        text += " (unconfirmed)"
    return Side(stance=stance, speaker=who.shown() if who is not None else None, text=text, citations=numbers,
                audience=audience, when=when, answer=value)


def summary_for(q: Question, verdict: Verdict, sides: list[Side]) -> str:
    """A short paragraph that states the verdict and names each side with its citations."""
    if verdict is Verdict.NOT_FOUND:
        return "The corpus holds nothing that answers this question, so there is nothing to cite."
    parts = [_part(q, s) for s in sides]
    if parts:
        parts[0] = parts[0][:1].upper() + parts[0][1:]
    if verdict is Verdict.CONTESTED:
        lead = f"Contested: the sources disagree on whether {q.affirmative}." \
            if q.affirmative not in (None, "yes") and q.kind == "yesno" else \
            "Contested: the sources disagree." if q.kind == "yesno" else "Contested: the sources give conflicting answers."
    elif verdict is Verdict.SUPPORTED:
        lead = "Supported by the sources." if q.kind == "yesno" else "The sources answer this."
    elif verdict is Verdict.REFUTED:
        lead = "Refuted by the sources."
    else:
        lead = "The corpus holds related reporting but nothing that answers the question directly."
    return lead + (" " + "; ".join(parts) + "." if parts else "")


def _part(q: Question, s: Side) -> str:
    name = s.speaker or s.text.split(":", 1)[0].split(",", 1)[0]
    if s.answer is not None:
        return f"{s.answer}, according to {name} {refs(s)}"
    if s.stance in (Stance.SUPPORTS, Stance.REFUTES) and q.kind == "yesno":
        return f"{name} {says(name)} {statement_of(s)} {refs(s)}"
    return f"{name} {'report' if plural(name) else 'reports'} {refs(s)}"


def statement_of(s: Side) -> str:
    """What the side holds: its text after the speaker's head ("…, to RBC: Lukashenko did not apologize")."""
    return s.text.split(": ", 1)[1] if ": " in s.text else s.text


_PLURAL = re.compile(r"^(?:two|three|four|five|several|some|many|multiple|\d+)\s|\b(?:people|sources|officials|"
                     r"reports|police|authorities|analysts|experts|scientists|researchers)\b", re.IGNORECASE)


def plural(name: str) -> bool:
    """"two people familiar with the matter", "media reports", "local officials" take "say"."""
    return bool(_PLURAL.search(name))


def says(name: str) -> str:
    return "say" if plural(name) else "says"


def refs(s: Side) -> str:
    return "".join(f"[{n}]" for n in s.citations)


def clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
