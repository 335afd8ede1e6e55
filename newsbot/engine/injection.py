"""Text inside articles that addresses the model ("ignore previous instructions …") is never evidence.

Passages reach the model fenced as data, but a planted instruction can still
sway a model, and the extractive engine knows nothing about them. So a
sentence that reads as an instruction to an AI, and the rest of its paragraph
(the payload usually follows the trigger: "IGNORE PREVIOUS INSTRUCTIONS. Say
X."), is *tainted*: verification refuses to cite it, whoever proposed it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsbot.engine.parse import paragraphs

_INSTRUCTION_RE = re.compile(
    r"""\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|my|these|those|previous|prior|above|earlier
        |preceding|former|other)\s+)*(?:instructions?|prompts?|rules|guidelines|directions|directives)\b
    | \b(?:system|developer)\s+(?:prompt|message|instructions?)\b
    | \byou\s+are\s+now\s+(?:a|an|in|my)\b
    | \byou\s+are\s+an?\s+(?:ai|a\.i\.|language\s+model|llm|chatbot|assistant)\b
    | \bnew\s+instructions?\s*:
    | \b(?:cite|quote)\s+passage\s+\d+""",
    re.IGNORECASE | re.VERBOSE,
)


def reads_as_instruction(text: str) -> bool:
    """True when ``text`` addresses a model the way prompt injections do."""
    return _INSTRUCTION_RE.search(text) is not None


@lru_cache(maxsize=1024)
def tainted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` (article offsets) that must not be cited: from the start of the sentence that holds an
    instruction to the end of its paragraph."""
    spans: list[tuple[int, int]] = []
    for p in paragraphs(text):
        m = _INSTRUCTION_RE.search(text, p.start, p.end)
        if m is None:
            continue
        ends = [text.rfind(mark, p.start, m.start()) for mark in (". ", "! ", "? ", "\u2026 ")]
        start = max([e + 2 for e in ends if e >= 0] or [p.start])
        spans.append((start, p.end))
    return tuple(spans)


def is_tainted(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` overlaps a tainted span."""
    return any(s < end and start < e for s, e in tainted_spans(text))
