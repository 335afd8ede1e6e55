"""Discord text made into a question: mention markup goes.

``<@id>``, ``<@&id>``, ``<#id>``, ``@everyone`` and ``@here`` address people in
Discord; they are not words of a question about the news. Left in, an id
would be searched for like a word (and can turn a good question into "not
found"), and echoing it back would be noise even though no message of the
bot can ping. The bot's own mention (how people address it) goes the same way.

What is left may be no question at all (a bare mention, only punctuation or
an emoji): :func:`is_question` tells, and a bare mention of the bot is met
with :func:`usage_hint` rather than an error.
"""

from __future__ import annotations

import re

MENTION = re.compile(r"<(?:@[!&]?|#)\d{15,21}>")
BROADCAST = re.compile(r"(?<![\w.])@(?:everyone|here)\b")


def question_text(text: str) -> str:
    """``text`` without user, role and channel mentions or @everyone/@here, white space collapsed."""
    text = "".join(ch if ch.isprintable() else " " for ch in BROADCAST.sub(" ", MENTION.sub(" ", text)))
    return re.sub(r" ([?!.,;:])", r"\1", " ".join(text.split()))


def is_question(text: str) -> bool:
    """True when ``text`` has something to ask about: at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


def usage_hint(bot_name: str) -> str:
    """How to ask, for someone who mentioned the bot without a question (the name is shown, never a mention)."""
    name = bot_name.replace("`", "") or "newsbot"
    return (f"👋 Ask me a question about the news corpus, e.g. `@{name} Did Lukashenko apologize?` "
            "— or use `/ask`.")
