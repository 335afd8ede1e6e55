"""A readable draft of an answer the model is still streaming as JSON.

Users should not watch raw JSON scroll by. :class:`Draft` is fed the stream
piece by piece and returns only new readable text: one line per side,
"• speaker (stance): statement", the statement growing as it arrives. The
text only ever grows (a line's head is fixed when its statement starts), so
a caller can simply append what it gets. A model that answers in prose
instead of JSON is shown as it writes. The draft is unverified by nature;
the verified answer replaces it.
"""

from __future__ import annotations

import json
import re

_DECODER = json.JSONDecoder(strict=False)  # models put raw newlines in strings
_FIELD_RE = re.compile(r'"(stance|speaker|statement)"\s*:\s*"((?:[^"\\]|\\.)*)(")?', re.DOTALL)


class Draft:
    """Feed streamed pieces in; get readable text to append out."""

    def __init__(self) -> None:
        self.raw = ""
        self.shown = ""

    def feed(self, piece: str) -> str:
        """Take the next streamed piece; return the readable text it adds (often empty)."""
        self.raw += piece
        text = render(self.raw)
        if not text.startswith(self.shown):
            return ""
        added, self.shown = text[len(self.shown) :], text
        return added


def render(raw: str) -> str:
    """The readable form of a (possibly partial) JSON reply, or the text itself if it is not JSON."""
    head = raw.lstrip()
    if head and not head.startswith(("{", "`", "[")):
        return raw
    lines: list[str] = []
    side: dict[str, str] = {}  # stance and speaker of the side being read
    for m in _FIELD_RE.finditer(raw):
        name, value, closed = m.group(1), _unescape(m.group(2)), m.group(3) is not None
        if name == "statement":
            speaker, stance = side.get("speaker"), side.get("stance")
            lines.append(f"• {speaker or 'A source'} ({stance or 'unknown'}): {value}" if side else f"• {value}")
            side = {}
        elif closed:
            side[name] = value
    return "\n".join(lines)


def _unescape(value: str) -> str:
    """A JSON string body, decoded; an escape cut off at the end of a partial stream is left out."""
    for cut in range(7):
        try:
            return _DECODER.decode(f'"{value[: len(value) - cut]}"')
        except json.JSONDecodeError:
            continue
    return value
