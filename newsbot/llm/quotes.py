"""Finding what the model quoted in the passages it was given, exactly.

A model's quote becomes an exact span of a stored article, or nothing:

1. a citation to a passage that was not given is dropped;
2. an exact substring of the cited passage is kept (outer quotation marks
   and ellipses the model added are ignored);
3. the same words with other quotation marks, dashes, case or spacing are
   matched to the passage's own characters;
4. a quote found in another given passage is re-pointed there;
5. otherwise the closest sentence of the cited passage (then of any passage,
   more strictly) replaces it, if it shares most of the quote's words;
6. otherwise it is dropped.

A quote of fewer than four words is widened to its sentence, and a span the
injection guard marks as tainted is dropped. Each change is described in the
``repair`` text the caller records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.engine import is_tainted
from newsbot.llm.spans import Sentence, within
from newsbot.llm.words import content_terms, words
from newsbot.models import Evidence

CITED_PASSAGE_MIN = 0.6  # share of the quote's content words the replacing sentence must hold
OTHER_PASSAGE_MIN = 0.8
MIN_SHARED_TERMS = 2
MIN_QUOTE_WORDS = 4
_FOLD = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                       "″": '"', "–": "-", "—": "-", "−": "-", "\u00a0": " "})
_OUTER = "\"'“”‘’«» "


@dataclass(frozen=True)
class Located:
    """A quote pinned to ``article.text[start:end]`` of the passage ``passage`` (1-based)."""

    evidence: Evidence
    passage: int
    start: int
    end: int
    repair: str | None = None

    @property
    def text(self) -> str:
        """The quoted text, exactly as stored."""
        return self.evidence.article.text[self.start : self.end]

    def sentences(self) -> list[Sentence]:
        """The sentences of the article this quote overlaps."""
        return within(self.evidence.article.text, self.start, self.end)


def locate(passage: object, quote: object, evidence: Sequence[Evidence]) -> Located | str:
    """Where ``quote`` is in the given passages (see the module docstring), or why it was dropped."""
    try:
        n = int(passage)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return f"citation without a usable passage number ({str(passage)[:20]!r}) dropped"
    if not 1 <= n <= len(evidence):
        return f"citation to passage {n}, which was not given, dropped"
    text = str(quote or "").strip()
    if not any(ch.isalnum() for ch in text):
        return f"empty quote from passage {n} dropped"
    found = _find(n, text, evidence)
    if found is None:
        return f"quote not found in passage {n} and no sentence of it is close, dropped"
    found = _widen_if_short(found)
    article = found.evidence.article
    if is_tainted(article.text, found.start, found.end):
        return f"passage {found.passage}: text that reads as an instruction to the model is not evidence, dropped"
    return found


def _find(n: int, text: str, evidence: Sequence[Evidence]) -> Located | None:
    cited = evidence[n - 1]
    for variant in _variants(text):
        span = _exact(variant, cited)
        if span is not None:
            return _located(cited, n, span, None)
    for variant in _variants(text):
        span = _folded(variant, cited)
        if span is not None:
            return _located(cited, n, span, f"quote from passage {n} matched to the passage's exact characters")
    for m, ev in enumerate(evidence, 1):
        if m == n:
            continue
        for variant in _variants(text):
            span = _exact(variant, ev) or _folded(variant, ev)
            if span is not None:
                return _located(ev, m, span, f"quote is from passage {m}, not {n}; citation corrected")
    best = _closest(text, [(n, cited)], CITED_PASSAGE_MIN)
    if best is not None:
        return _located(cited, n, (best.start, best.end),
                        f"inexact quote replaced by the closest sentence of passage {n}")
    others = [(m, ev) for m, ev in enumerate(evidence, 1) if m != n]
    best_other = _closest_with_passage(text, others, OTHER_PASSAGE_MIN)
    if best_other is not None:
        m, sentence = best_other
        return _located(evidence[m - 1], m, (sentence.start, sentence.end),
                        f"inexact quote from passage {n} replaced by the closest sentence of passage {m}")
    return None


def _variants(text: str) -> list[str]:
    """The quote as written, then without the quotation marks and ellipses models add around it."""
    out = [text]
    trimmed = text.strip(_OUTER)
    for mark in ("...", "…", "[…]", "[...]"):
        trimmed = trimmed.removeprefix(mark).removesuffix(mark).strip(_OUTER)
    if trimmed and trimmed != text:
        out.append(trimmed)
    return out


def _exact(quote: str, ev: Evidence) -> tuple[int, int] | None:
    at = ev.chunk.text.find(quote)
    return (ev.chunk.start + at, ev.chunk.start + at + len(quote)) if at >= 0 else None


def _folded(quote: str, ev: Evidence) -> tuple[int, int] | None:
    folded_chunk, index = _fold_with_index(ev.chunk.text)
    folded_quote, _ = _fold_with_index(quote)
    if not folded_quote:
        return None
    at = folded_chunk.find(folded_quote)
    if at < 0:
        return None
    return ev.chunk.start + index[at], ev.chunk.start + index[at + len(folded_quote) - 1] + 1


def _fold_with_index(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with quotes, dashes and runs of white space unified, and each char's original offset."""
    out: list[str] = []
    index: list[int] = []
    for i, original in enumerate(text):
        ch = original.translate(_FOLD).lower()
        if len(ch) != 1:  # a few characters lower-case to two ("İ"); keep them as they are
            ch = original
        if ch.isspace():
            if not out or out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def find_in(text: str, value: str) -> str | None:
    """``value`` as ``text`` writes it (case, quotation marks and spacing ignored in the search), or None."""
    folded_value = _fold_with_index(value)[0]
    folded_text, index = _fold_with_index(text)
    at = folded_text.find(folded_value) if folded_value else -1
    return text[index[at] : index[at + len(folded_value) - 1] + 1] if at >= 0 else None


def _located(ev: Evidence, n: int, span: tuple[int, int], repair: str | None) -> Located:
    start, end = span
    return Located(evidence=ev, passage=n, start=start, end=end, repair=repair)


def _widen_if_short(found: Located) -> Located:
    """A quote of a few words ("apologized") says nothing alone: cite the sentence(s) it is in."""
    if len(words(found.text)) >= MIN_QUOTE_WORDS:
        return found
    covering = found.sentences()
    if not covering:
        return found
    chunk = found.evidence.chunk  # the sentence as far as the passage the model was given holds it
    start, end = max(chunk.start, min(s.start for s in covering)), min(chunk.end, max(s.end for s in covering))
    if (start, end) == (found.start, found.end):
        return found
    repair = "; ".join(x for x in (found.repair, f"short quote from passage {found.passage} widened to its sentence")
                       if x)
    return Located(found.evidence, found.passage, start, end, repair)


def _inside(ev: Evidence) -> list[Sentence]:
    """The passage's sentences, each cut to the passage's bounds (a sentence may straddle two passages)."""
    text, lo, hi = ev.article.text, ev.chunk.start, ev.chunk.end
    return [Sentence(max(lo, s.start), min(hi, s.end), text[max(lo, s.start) : min(hi, s.end)])
            for s in within(text, lo, hi)]


def _closest(text: str, passages: list[tuple[int, Evidence]], minimum: float) -> Sentence | None:
    best = _closest_with_passage(text, passages, minimum)
    return best[1] if best is not None else None


def _closest_with_passage(text: str, passages: list[tuple[int, Evidence]],
                          minimum: float) -> tuple[int, Sentence] | None:
    """The sentence holding the largest share of the quote's content words, if that share reaches ``minimum``."""
    wanted = content_terms(text)
    if len(wanted) < MIN_SHARED_TERMS:
        return None
    best: tuple[float, float, int, Sentence] | None = None
    for n, ev in passages:
        for s in _inside(ev):
            have = content_terms(s.text)
            shared = len(wanted & have)
            if shared < MIN_SHARED_TERMS:
                continue
            score = (shared / len(wanted), shared / len(wanted | have))
            if best is None or score > best[:2]:
                best = (*score, n, s)
    if best is None or best[0] < minimum:
        return None
    return best[2], best[3]
