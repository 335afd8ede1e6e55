"""Discord text made into a question: the bot's own mention goes, other mentions become the names they show.

``<@id>`` and ``<@&id>`` that address the bot (its user or the role Discord made for it) are how
people talk *to* it, not words of the question, so they go, like ``@everyone`` and ``@here``.
Any other mention is a word of the sentence — "did <@alice> and <@bob> hear that Lukashenko
apologized?" — and becomes the name Discord shows for it ("did Alice and Bob hear …"); only a
mention whose name is unknown is dropped. No raw id is ever searched for or echoed back (and no
message of the bot can ping anyway).

What is left may be no question at all (a bare mention, only punctuation or an emoji):
:func:`is_question` tells, and a bare mention of the bot is met with :func:`usage_hint` rather
than an error.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

MENTION = re.compile(r"<(@[!&]?|#)(\d{15,21})>")
BROADCAST = re.compile(r"(?<![\w.])@(?:everyone|here)\b")


def mention_ids(text: str) -> list[tuple[str, int]]:
    """The mentions in ``text`` as (kind, id): kind "user", "role" or "channel"."""
    kinds = {"@": "user", "@!": "user", "@&": "role", "#": "channel"}
    return [(kinds[m.group(1)], int(m.group(2))) for m in MENTION.finditer(text)]


def question_text(text: str, names: Mapping[int, str] | None = None, *, drop: Collection[int] = ()) -> str:
    """``text`` with mentions as names (those in ``drop`` and unknown ones removed), white space collapsed."""
    names = names or {}

    def named(match: re.Match[str]) -> str:
        mention_id = int(match.group(2))
        name = None if mention_id in drop else names.get(mention_id)
        return f" {' '.join(name.split())} " if name else " "

    text = "".join(ch if ch.isprintable() else " " for ch in BROADCAST.sub(" ", MENTION.sub(named, text)))
    return re.sub(r" ([?!.,;:])", r"\1", " ".join(text.split()))


def is_question(text: str) -> bool:
    """True when ``text`` has something to ask about: at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


def usage_hint(bot_name: str) -> str:
    """How to ask, for someone who mentioned the bot without a question (the name is shown, never a mention)."""
    name = bot_name.replace("`", "") or "newsbot"
    return (f"👋 Ask me a question about the news corpus, e.g. `@{name} Did Lukashenko apologize?` "
            "— or use `/ask`.")
