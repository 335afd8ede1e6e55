"""Turning sorted sentences into sides, citations and a one-paragraph summary.

Wording is template-based and says only what the attribution found: who
(with role), to whom, when, and the claim or value. Every citation number
points at an exact sentence of a stored article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from newsbot.engine.attribution import (
    ROLE_TERMS,
    SPEECH_VERBS,
    UNNAMED,
    ArticleAnalysis,
    SentenceInfo,
)
from newsbot.engine.question import Question
from newsbot.engine.referents import inside_single_quote
from newsbot.engine.subject import is_subject
from newsbot.engine.values import Value
from newsbot.models import Article, Citation, Side, Stance, Verdict
from newsbot.text import quoted_mask, term


@dataclass(frozen=True)
class Found:
    """A sentence chosen for a side, with the value it gives (value questions)."""

    article: Article
    analysis: ArticleAnalysis
    sentence: SentenceInfo
    value: Value | None = None


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


def side_for(q: Question, stance: Stance, found: list[Found], book: CitationBook, holds: Stance | None = None) -> Side:
    """One side: its speaker, to whom and when, its statement and its citations.

    ``holds``: the side's own stance on the claim, worded as its statement, when that differs from its
    bearing on the question ("Did Zelensky say …?": Eismont's denial is context, worded as her denial).
    """
    holds = holds or stance
    found = sorted(found, key=lambda f: (f.article.id, f.sentence.start))
    numbers = [book.cite(f.article, f.sentence.start, f.sentence.end) for f in found]
    speaker = _speaker(found)
    inner = _recounted(found)
    if speaker and inner:
        speaker = f"{speaker}, recounting {inner}'s words"  # "‘… Putin was the one launching them.’"
    audience, when = _audience_when(found)
    value = next((f.value.text for f in found if f.value is not None), None)
    who = speaker or _outlet(found)
    bits = [who]
    if audience:
        bits.append(f"to {audience}")
    if when:
        bits.append(when)
    head = ", ".join(bits)
    if value is not None:
        text = f"{head}: {value}"
    elif holds is Stance.SUPPORTS and q.kind == "yesno":
        text = f"{head}: {_own_account(q, q.affirmative, found) or 'yes'}"
    elif holds is Stance.REFUTES:
        text = f"{head}: {_own_account(q, q.negative, found) or 'no'}"
    else:
        text = f"{head}: {_clip(found[0].sentence.text)}"
    return Side(stance=stance, speaker=speaker, text=text, citations=numbers, audience=audience, when=when,
                answer=value)


def _recounted(found: list[Found]) -> str | None:
    """Whose words a value is when it stands in a quote inside the speaker's own quote: in Zelensky's account,
    "‘… and Putin was the one launching them.’" are Lukashenko's words. That is the one other person the
    headline names (someone the article also names in full); "another source" when the headline names no
    such one person."""
    f = next((f for f in found if f.value is not None), None)
    if f is None or not f.sentence.attribution.key or not inside_single_quote(f.sentence, f.value.start):
        return None
    own = {f.sentence.attribution.key, term((f.sentence.attribution.audience or "x").split()[-1])}
    people = list(dict.fromkeys(
        w for w in re.findall(r"[A-Z][\w’'-]+", f.article.title)
        if (k := term(w)) not in own
        and any(t[:1].isalpha() and len(t) > 2 and t != k for t in f.analysis.name_terms.get(k, ()))))
    return re.sub(r"[’']s$", "", people[0]) if len(people) == 1 else "another source"


def summary_for(q: Question, verdict: Verdict, sides: list[Side]) -> str:
    """A short paragraph that states the verdict and names each side with its citations."""
    if verdict is Verdict.NOT_FOUND:
        return "The corpus holds nothing that answers this question, so there is nothing to cite."
    parts = [_value_part(s) if s.answer is not None else f"{name_of(s)} {_claim(q, s)} {refs(s)}" for s in sides]
    if parts:  # "According to …", "Two people familiar with the matter say …" open a sentence
        parts[0] = parts[0][:1].upper() + parts[0][1:]
    if verdict is Verdict.CONTESTED:
        lead = f"Contested: the sources disagree on whether {q.affirmative}." if q.affirmative and q.kind == "yesno" \
            else "Contested: the sources disagree."
    elif verdict is Verdict.SUPPORTED:
        lead = "Supported by the sources." if q.kind == "yesno" else "The sources answer this."
    elif verdict is Verdict.REFUTED:
        lead = "Refuted by the sources."
    else:
        lead = "The corpus holds related reporting but nothing that answers the question directly."
    return lead + " " + "; ".join(parts) + "."


def _value_part(s: Side) -> str:
    """"May 2012, according to X [1]"; a phrase ("just days after … invasion") goes after its source."""
    if s.answer and s.answer.split()[0].islower():
        return f"according to {name_of(s)}, {s.answer} {refs(s)}"
    if s.answer and s.answer.lower() == name_of(s).lower() and _BODY.search(s.answer):
        return f"{s.answer}, by its own account {refs(s)}"  # not "the inspectorate, according to the inspectorate"
    return f"{s.answer}, according to {name_of(s)} {refs(s)}"


_BODY = re.compile(r"^the\b|\b(?:board|authority|ministry|agency|department|commission|council|police|company|corp|"
                   r"inc|bank|union|university|inspectorate|court|office|service|group|government)\.?$", re.IGNORECASE)


def name_of(s: Side) -> str:
    return s.speaker or s.text.split(":", 1)[0].split(",", 1)[0]


def _claim(q: Question, s: Side) -> str:
    if s.stance in (Stance.SUPPORTS, Stance.REFUTES) and (q.kind == "yesno" or s.stance is Stance.REFUTES):
        return says(s) + " " + statement_of(s)  # the side's claim, in its speaker's own account if so
    return "report" if _plural(name_of(s)) else "reports"


def says(s: Side) -> str:
    """"says", or "say" for "two people familiar with the matter"."""
    return "say" if _plural(name_of(s)) else "says"


_PLURAL = re.compile(r"^(?:two|three|four|five|six|several|some|many|multiple|\d+)\s|^(?!one\b)\S*\s?"
                     r"(?:\w+\s)?(?:people|sources|officials|diplomats|insiders|executives|employees|aides|analysts|"
                     r"police|authorities|observers|prosecutors|lawyers)\b",
                     re.IGNORECASE)


def _plural(name: str) -> bool:
    """"two people …", "local officials", and a described source whose last word is a plural ("its leaders")."""
    last = name.split()[-1].lower() if name.split() else ""
    described_plural = name[:1].islower() and last.endswith("s") and not last.endswith(("ss", "us", "news", "series"))
    return bool(_PLURAL.search(name)) or described_plural


def statement_of(s: Side) -> str:
    """What the side holds: its text after the speaker's head ("…, to RBC: Lukashenko did not apologize")."""
    return s.text.split(": ", 1)[1] if ": " in s.text else s.text


def _own_account(q: Question, claim: str | None, found: list[Found]) -> str | None:
    """The claim with its subject as "he"/"she" (or "it"/"they" for a body) when its speaker is that subject.

    "Zelensky says Zelensky accused Lukashenko" reads "Zelensky says he accused Lukashenko", with the
    pronoun the article uses for the speaker ("Zelensky said he …"); unchanged if the article uses none.
    """
    key = found[0].sentence.attribution.key if found else None
    if claim is None or not found:
        return claim
    speaker = found[0].sentence.attribution.speaker or ""
    if key and key.startswith(UNNAMED) and q.subject is None and q.subject_terms \
            and q.subject_terms <= {term(w) for w in speaker.split()}:
        pronoun: str | None = _pronoun_for(found[0].analysis, key) or ("they" if _plural(speaker) else "it")
        # "The interior ministry says it rejected …", "The director said she took …": she
    elif is_subject(q, found[0].analysis.name_terms, key):
        pronoun = _pronoun_for(found[0].analysis, key)
    else:
        return claim
    words = claim.split()
    n = 0
    while n < len(words) and (term(words[n]) in q.subject_terms or words[n].lower() == "the"):
        n += 1
    if (pronoun is None or n == 0 or n == len(words) or term(words[n - 1]) not in q.subject_terms
            or words[n].lower() in ("and", "or")):  # "Lukashenko and Zelensky spoke": not one person's act
        return claim
    return " ".join([pronoun, *words[n:]])


_PRONOUNS = frozenset("he she it they".split())


def _pronoun_for(analysis: ArticleAnalysis, key: str) -> str | None:
    """"he", "she", "it" or "they", if the article calls the speaker ``key`` only that next to a speech verb
    outside quotes."""
    seen: set[str] = set()
    for s in analysis.sentences:
        if s.attribution.key != key or s.attribution.inherited:
            continue
        mask = quoted_mask(s.text)
        words = [t.text.lower() for t in s.tokens if not mask[t.start - s.start]]
        words = [w for w in words if w != "that"]  # "denied that it …" as "denied it …"
        for a, b in pairwise(words):
            if a in SPEECH_VERBS and b in _PRONOUNS:
                seen.add(b)
            elif a in _PRONOUNS and b in SPEECH_VERBS:
                seen.add(a)
    return seen.pop() if len(seen) == 1 else None


def refs(s: Side) -> str:
    return "".join(f"[{n}]" for n in s.citations)


def _speaker(found: list[Found]) -> str | None:
    attributions = [f.sentence.attribution for f in found if f.sentence.attribution.speaker]
    if not attributions:
        return None
    key = attributions[0].key
    attributions = [a for a in attributions if a.key == key]
    name = max((a.speaker for a in attributions if a.speaker), key=len)
    role = next((a.role for a in attributions if a.role), None)
    if role is None:
        role = next((s.attribution.role for f in found for s in f.analysis.sentences
                     if s.attribution.key == key and s.attribution.role), None)
    return f"{name} ({role})" if role else name


def _audience_when(found: list[Found]) -> tuple[str | None, str | None]:
    """To whom and when, from the side's sentences or, failing that, the same speaker elsewhere in the article."""
    audience = next((f.sentence.attribution.audience for f in found if f.sentence.attribution.audience), None)
    when = next((f.sentence.attribution.when for f in found if f.sentence.attribution.when), None)
    key = found[0].sentence.attribution.key
    if key:
        for f in found:
            for s in f.analysis.sentences:
                if s.attribution.key == key and not s.attribution.inherited:
                    audience = audience or s.attribution.audience
                    when = when or s.attribution.when
    if when is None and found[0].article.published:
        when = f"reported {found[0].article.published}"
    return audience, when


def _outlet(found: list[Found]) -> str:
    names: list[str] = []
    for f in found:
        name = f.article.publisher or f.article.title
        if name not in names:
            names.append(name)
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_TITLE_BEFORE = re.compile(r"(\w+),?\s+$")


def in_outlet_frame(s: SentenceInfo, start: int, end: int) -> bool:
    """"In an interview …, published on Sunday, Zelensky said …": a value in the frame before the speaker
    is the outlet's own report, not what the speaker said. So is a name right after its title
    ("Belarusian President Aleksandr Lukashenko", "press secretary, Natalya Eismont,"): the outlet's
    description of who someone is, unless it stands inside a quote."""
    speaker = s.attribution.speaker
    if not speaker or s.attribution.inherited:
        return False
    title = _TITLE_BEFORE.search(s.text[: start - s.start])
    if title and term(title.group(1)) in ROLE_TERMS and not quoted_mask(s.text)[start - s.start]:
        return True
    at = s.text.find(speaker)
    if at <= 0 or end > s.start + at or quoted_mask(s.text)[start - s.start]:
        return False
    verb = next((i for i, t in enumerate(s.tokens) if t.start >= s.start + at and t.text.lower() in SPEECH_VERBS), None)
    return verb is not None and len(s.tokens) - verb > 5  # "…, two people … told Northwire on Monday." trails
