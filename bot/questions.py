"""Discord text made into a question: mention markup goes.

``<@id>``, ``<@&id>``, ``<#id>``, ``@everyone`` and ``@here`` address people in
Discord; they are not words of a question about the news. Left in, an id
would be searched for like a word (and can turn a good question into "not
found"), and echoing it back would be noise even though no message of the
bot can ping. The bot's own mention (how people address it) goes the same way.
"""

from __future__ import annotations

import re

MENTION = re.compile(r"<(?:@[!&]?|#)\d{15,21}>")
BROADCAST = re.compile(r"(?<![\w.])@(?:everyone|here)\b")


def question_text(text: str) -> str:
    """``text`` without user, role and channel mentions or @everyone/@here, white space collapsed."""
    text = " ".join(BROADCAST.sub(" ", MENTION.sub(" ", text)).split())
    return re.sub(r" ([?!.,;:])", r"\1", text)
