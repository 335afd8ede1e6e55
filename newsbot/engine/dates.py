"""Dates a sentence gives, read as a reader of the story would.

"May 15, 2012", "15 May 2012", "May 2012", "2012-05-15"; a date given relative to
another keeps the relation ("just days after Russia’s February 2022 invasion"). With
the story's date known, a weekday is the last such day on or before it ("on Sunday
(January 5, 2025)"), or the next one after it in a clause about what is to come ("will
reopen on Friday"), and a month without a year takes the story's year ("to October
(2025)"), or the year before for a past event in a month still to come.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from datetime import date, timedelta

from newsbot.engine.attribution import SentenceInfo
from newsbot.engine.value_scope import YEAR_RE
from newsbot.text import WEEKDAYS, term

#: (text shown, start, end, key): a candidate answer before it becomes a ``values.Value``.
Found = tuple[str, int, int, tuple]


def dates_in(s: SentenceInfo, published: str | None, act: str | None = None) -> list[Found]:
    """Every date in ``s``, in order; weekdays and year-less months only when ``published`` is known.

    ``act``: the term of the act asked about; a date written right before it is that act's own ("Russia’s
    February 2022 invasion" for "When did Russia invade …?"), not a date others are placed against.
    """
    try:
        pub = date.fromisoformat(published[:10]) if published else None
    except ValueError:
        pub = None
    found = _dates(s, pub, act) + (_weekdays(s, pub) if pub else [])
    return _with_times(s, sorted(found, key=lambda f: f[1]))


_TIME_RE = re.compile(r"(?:\b(?:(?:shortly|just|soon) )?(?:after|before) |\b(?:around|about) )?"
                      r"\b(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<half>a\.m\.|p\.m\.|am\b|pm\b)", re.IGNORECASE)


def _with_times(s: SentenceInfo, found: list[Found]) -> list[Found]:
    """Clock times ("at 3:12 a.m.", "shortly after 6 a.m."): joined to a date next to them ("3:12 a.m. on
    Sunday (April 28, 2024)"), or on their own; the key carries hour and minute after the day."""
    out = list(found)
    for m in _TIME_RE.finditer(s.text):
        hour = int(m["h"]) % 12 + (12 if m["half"].lower().startswith("p") else 0)
        minute = int(m["m"] or 0)
        start, end = s.start + m.start(), s.start + m.end()
        near = next((f for f in out if len(f[3]) == 4 and (0 <= f[1] - end <= 4 or 0 <= start - f[2] <= 5)), None)
        if near is None:
            out.append((m.group(0), start, end, ("date", None, None, None, hour, minute)))
            continue
        out.remove(near)
        gap = s.text[m.end() : near[1] - s.start] if near[1] > start else s.text[near[2] - s.start : m.start()]
        shown = f"{m.group(0)}{gap}{near[0]}" if near[1] > start else f"{near[0]}{gap}{m.group(0)}"
        out.append((shown, min(start, near[1]), max(end, near[2]), (*near[3], hour, minute)))
    return sorted(out, key=lambda f: f[1])


_FUTURE = frozenset("will would to until by scheduled expected planned plans due next later delay delayed".split())


def _year_of(s: SentenceInfo, month: int, pub: date) -> int:
    """The story's year; the year before when the month is still to come and nothing says it is ahead."""
    ahead = any(t.text.lower() in _FUTURE for t in s.tokens)
    return pub.year - 1 if month > pub.month and not ahead else pub.year


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DATE_RES = [
    re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+|\s+of\s+)(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE}),?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<m>{_MONTH_RE}),?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
    re.compile(r"\b(?:in|to|by|until|from|since|for|during|through|before|after|early|late|mid-) ?(?P<m>January|"
               r"February|March|April|May|June|July|August|September|October|November|December)\b(?!\s*\d)"),
]


def _dates(s: SentenceInfo, pub: date | None, act: str | None) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for rx in _DATE_RES:
        for m in rx.finditer(s.text):
            if any(m.start() < e and m.end() > b for b, e in taken):
                continue
            g = m.groupdict()
            month = int(g["mn"]) if g.get("mn") else _MONTHS.get(g["m"].lower()[:3])
            day = int(g["d"]) if g.get("d") else None
            year = int(g["y"]) if g.get("y") else None
            taken.append((m.start(), m.end()))
            nxt = re.match(r"\s+([\w-]+)", s.text[m.end() :])
            own = act is not None and nxt is not None and term(nxt.group(1)) == act
            b, e = (m.start(), m.end()) if own else _relative_span(s.text, m.start(), m.end())
            shown = s.text[b:e]
            if year is None and pub is not None and month:
                year = _year_of(s, month, pub)
                shown = f"{shown} ({year})"  # "to October (2025)": the year is the story's, inferred
            found.append((shown, s.start + b, s.start + e, ("date", year, month, day)))
    if not found:
        for m in YEAR_RE.finditer(s.text):
            found.append((m.group(), s.start + m.start(), s.start + m.end(), ("date", int(m.group()), None, None)))
    return found


_WEEKDAY_RE = re.compile(r"\b(?:(?P<last>last) |on )?(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _weekdays(s: SentenceInfo, pub: date) -> list[Found]:
    """"voted on Wednesday" in a story published 2025-03-12: that Wednesday, the last one on or before the
    story's date ("last Wednesday": before it). Shown with the date it resolves to."""
    out = []
    for m in _WEEKDAY_RE.finditer(s.text):
        if _ahead(s.text[: m.start()]):  # "will return to work on Monday": the next Monday after the story
            day = pub + timedelta(days=(WEEKDAYS.index(m["day"].lower()) - pub.weekday()) % 7 or 7)
        else:
            day = pub - timedelta(days=(pub.weekday() - WEEKDAYS.index(m["day"].lower())) % 7 or (7 if m["last"] else 0))
        text = f"{m.group(0)} ({day:%B} {day.day}, {day.year})"
        out.append((text, s.start + m.start(), s.start + m.end(), ("date", day.year, day.month, day.day)))
    return out


_CLAUSE_START = re.compile(r".*(?:[,;:“”\"]|\bthat\b|\b(?:said|says|told|announced)\b)", re.DOTALL)
_AHEAD = re.compile(r"\b(?:will|would|shall|next|scheduled|expected|due|plans?|planned|set to|going to)\b|['’]ll\b",
                    re.IGNORECASE)


def _ahead(before: str) -> bool:
    """The clause a weekday stands in (from its last comma, "that" or speech verb) speaks of what is to come."""
    m = _CLAUSE_START.match(before)
    return bool(_AHEAD.search(before[m.end() :] if m else before))


_RELATIVE_BEFORE = re.compile(
    r"(?:(?:just |only |some |about )?(?:(?:a few |several |two |three )?(?:hours|days|weeks|months)|a day|a week|"
    r"a month|shortly|soon|right|just|only) (?:after|before)) (?:(?:the |[A-Z][\w]*[’']s )?)$"
)
_RELATIVE_AFTER = re.compile(r"^ (?:[a-z][\w-]*(?: [a-z][\w-]*)?)(?=[,.;:]|$| (?:and|but|when|as|in|on)\b)")


def _relative_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A date given relative to it keeps the relation: "just days after Russia’s February 2022 invasion".

    The bare date would tell the reader the call was in February 2022, which the source does not say.
    """
    before = _RELATIVE_BEFORE.search(text, 0, start)
    if before is None:
        return start, end
    after = _RELATIVE_AFTER.match(text[end:])
    return before.start(), end + (after.end() if after else 0)
