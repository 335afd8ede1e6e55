"""Who a pronoun or a repeated mention in a sentence can refer to: the referents subject matching looks back to.

"It is located in …" after "The Mozyr Oil Refinery, …"; "he" near a spokeswoman is not her; a name
quoted inside a quote is someone's words about a third person, not an actor of the story.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

from newsbot.engine.attribution import ArticleAnalysis, SentenceInfo, name_key

_FEMININE = frozenset("spokeswoman chairwoman congresswoman businesswoman ms mrs queen princess".split())
_MASCULINE = frozenset("spokesman chairman congressman businessman mr king prince".split())


def other_gender(pronoun: str, role: str | None) -> bool:
    """"Lukashenko's spokeswoman Natalya Eismont said he did not …": "he" is not the spokeswoman."""
    words = {w.strip(".,").lower() for w in (role or "").split()}
    return bool(words & (_FEMININE if pronoun == "he" else _MASCULINE))


def previous_subject(analysis: ArticleAnalysis, s: SentenceInfo) -> str | None:
    """The name that opens the sentence before ``s`` in its paragraph: what an "It" starting ``s`` is about."""
    if s.index == 0:
        return None
    prev = analysis.sentences[s.index - 1]
    if prev.paragraph != s.paragraph or not prev.names or not prev.tokens:
        return None
    name, start, _ = prev.names[0]
    opening = prev.tokens[1] if prev.tokens[0].text.lower() == "the" and len(prev.tokens) > 1 else prev.tokens[0]
    return name_key(name) if start <= opening.start else None


def last_referent(analysis: ArticleAnalysis, s: SentenceInfo, excluded: set[str | None]) -> str | None:
    """The most recent name before ``s`` (this paragraph or the one before) a pronoun in it can refer to.

    Names quoted inside a quote ("‘… Putin was the one launching them.’") are someone's words about a
    third person, not the story's actors; the speaker and the audience are who is talking and listening.
    """
    for other in reversed(analysis.sentences[: s.index]):
        if other.paragraph < s.paragraph - 1:
            break
        for name, start, _ in reversed(other.names):
            key = name_key(name)
            if key not in excluded and not inside_single_quote(other, start):
                return key
    return None


def key_or_none(name: str | None) -> str | None:
    return name_key(name) if name else None


def inside_single_quote(s: SentenceInfo, pos: int) -> bool:
    rel = pos - s.start
    opened = s.text.rfind("‘", 0, rel)
    if opened < 0:
        return False
    i = s.text.find("’", opened + 1, rel)
    while i >= 0:
        if i + 1 >= len(s.text) or not s.text[i + 1].isalpha():
            return False
        i = s.text.find("’", i + 1, rel)
    return True
