"""Bodies' initials: "Food and Drug Administration" is also "FDA", so a sentence naming "the FDA" names it."""

from __future__ import annotations

import re

_TITLE_RUN = re.compile(r"(?:[A-Z][\w.&-]*(?:\s+(?:and|of|for|the|on)\s+|\s+))+[A-Z][\w.&-]*")


def acronyms(text: str) -> list[tuple[str, int]]:
    """"Food and Drug Administration" is also "FDA": the initials of each run of capitalised words from
    each of its words on, with the offset in ``text`` where the run ends."""
    out = []
    for m in _TITLE_RUN.finditer(text):
        words = [(w.group(), w.start()) for w in re.finditer(r"[A-Z][\w.&-]*", m.group())]
        for k in range(len(words) - 1):
            out.append(("".join(w[0][0] for w in words[k:]), m.end()))
    return out
