"""The question as typed in a chat message, made ready to read: the question part, contractions, names' case.

"hey, did lukashenko apologise?" -> "did Lukashenko apologise?" with the evidence's names recased,
"Didn't" -> "Did not" so that a negation is one word wherever it is written.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re

from newsbot.text import is_stopword, term

AUX = frozenset(
    "did does do is are was were has have had can could will would should may might must shall".split()
)
WH = frozenset("who whom whose what which when where why how".split())


def uncontract(text: str) -> str:
    """"Didn't" -> "Did not", "won't" -> "will not", so a negation is one word wherever it is written."""
    text = re.sub(r"\b([Ww])on['’]t\b", r"\1ill not", text)
    text = re.sub(r"\b([Cc])an['’]t\b", r"\1an not", text)
    return re.sub(r"\b(\w+)n['’]t\b", r"\1 not", text)


def question_part(text: str) -> str:
    """The question inside a chat message: "hey, did Lukashenko apologize?" -> "did Lukashenko apologize?".

    A clause after a comma, colon or sentence end that opens with a question word wins; so does a
    capitalised question word a few words in ("Anna Did …"). A question that opens the message is kept whole.
    """
    words = text.split()
    if not words or words[0].lower().strip(",:;!") in AUX | WH:
        return text
    for m in re.finditer(r"[,:;!?.…—-]\s+", text):
        rest = text[m.end():]
        first = rest.split()[0].lower() if rest.split() else ""
        if first in AUX | WH:
            return rest
    for i, word in enumerate(words[1:5], 1):
        if word[:1].isupper() and word.lower() in AUX | WH:
            return " ".join(words[i:])
    return text


def recase(text: str, proper_terms: frozenset[str]) -> str:
    out = []
    for i, word in enumerate(text.split(" ")):
        core = word.strip("?!.,;:")
        if i > 0 and core[:1].islower() and not is_stopword(core) and term(core) in proper_terms:
            word = word.replace(core, core[:1].upper() + core[1:], 1)
        out.append(word)
    return " ".join(out)
