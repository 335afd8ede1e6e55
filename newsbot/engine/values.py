"""Values a sentence gives for a question that asks for one, and when two disagree.

"Who acquired Instagram?" wants a name, "When was Splatoon 2 released?" a
date, "What was Tesla's revenue?" an amount. Each relevant sentence offers
typed candidates; two sources disagree when they state the same thing with a
different value — most plainly when two sentences are nearly word for word
the same but for that value ("… in Tampa, Florida" / "… in Glendale, Arizona").
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from newsbot.engine.attribution import ROLE_TERMS, SentenceInfo
from newsbot.engine.dates import dates_in
from newsbot.engine.question import Question
from newsbot.engine.value_scope import in_scope
from newsbot.text import is_stopword, term

_MONEY_RE = re.compile(
    r"(?:US|USD\s?|A|C|HK)?[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:trillion|billion|million|thousand|bn|mn|m|k)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?(?:\s*(?:trillion|billion|million|thousand))?\s+"
    r"(?:dollars|euros|pounds|yuan|yen|rubles|roubles|francs|pesos|rupees|reais|lira|krona|kronor|rand|USD|EUR|GBP)\b",
    re.IGNORECASE,
)
#: Words that bound an amount or a count ("at least 120", "as much as $500 million"): part of what was said.
_BOUND = (r"(?:\b(?:at least|at most|more than|less than|fewer than|over|under|about|around|nearly|almost|up to|"
          r"some|roughly|approximately|as (?:much|many) as|an estimated|estimated) )?")
_BOUND_RE = re.compile(_BOUND + r"$", re.IGNORECASE)
#: A count with its bound. Counts in words from two up ("one" is as often a pronoun: "Putin was the one …").
_RANGE_RE = re.compile(r"\bbetween\s+[$€£]?\d[\d,.]*(?:\s*(?:trillion|billion|million|thousand|bn|mn|m|k))?\s+and\s+$",
                       re.IGNORECASE)
_PERCENT_RE = re.compile(r"(?P<n>\d[\d,]*(?:\.\d+)?)(?=\s*(?:%|per ?cent\b|percentage points?\b))", re.IGNORECASE)
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {  # noqa: SIM905
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100"}
_WORDS_ALT = "|".join(w for w in _NUMBER_WORDS if w not in ("zero", "one"))
_COUNT_RE = re.compile(  # a number word in lower case, or capitalised where it opens the sentence ("Fourteen people")
    _BOUND + rf"\b(?P<n>\d[\d,]*(?:\.\d+)?|(?-i:{_WORDS_ALT})|(?-i:(?<=^)|(?<=^[“\"‘'])|(?<= - )|(?<=— ))"
    rf"(?-i:{'|'.join(w.capitalize() for w in _WORDS_ALT.split('|'))}))\b", re.IGNORECASE)
_SCALE = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6,
          "thousand": 1e3, "k": 1e3}
_NOT_VALUES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)
PARALLEL_RATIO = 0.6


@dataclass(frozen=True)
class Value:
    """A candidate answer: its exact text and span in the article, and a key to compare it."""

    text: str
    start: int
    end: int
    key: tuple


def extract(question: Question, s: SentenceInfo, published: str | None = None) -> list[Value]:
    """Typed candidate values in ``s`` for ``question.answer_type`` that are about what the question asks.

    ``published``: the article's date (ISO), against which "on Wednesday" is read.
    """
    values = [Value(*d) for d in dates_in(s, published, question.focus)] if question.answer_type == "date" \
        else _typed(question, s)
    return [v for v in values if in_scope(question, s, v.start, v.end, v.key[0])]


def _typed(question: Question, s: SentenceInfo) -> list[Value]:
    kind = question.answer_type
    if kind == "money":  # "How much did the shares fall?" ← "fell 6%": a share when no amount is given
        return _money(s) or [v for m in _PERCENT_RE.finditer(s.text) for v in _count(question, s, m)]
    if kind == "number":
        return [v for m in _COUNT_RE.finditer(s.text) if term(m["n"]) not in question.numbers
                for v in _count(question, s, m)]
    return _names(question, s, merge_places=kind == "place")


def _count(question: Question, s: SentenceInfo, m: re.Match[str]) -> list[Value]:
    """The count with its unit when that is what was asked ("three days" for "How many days …?"); none when
    another of the question's words follows ("a magnitude 6.8 earthquake" counts no people)."""
    counted = question.counted
    end = m.end()
    asks = " ".join(question.text.lower().split()[:2])
    span = re.match(r"[- ](?:year|month|week|day|hour|minute)s?(?:-old)?\b", s.text[end:])
    if asks != "how old" and re.search(r"\b(?:aged|ages)\s+(?:\d+\s+and\s+)?$", s.text[: m.start()]):
        return []  # "Two men, aged 34 and 41, were arrested": ages, not how many
    if re.search(r"\bincluding\s+$", s.text[: m.start()]):
        return []  # "ten people, including two officials": a part, not how many
    if re.search(rf"\b(?:{_MONTH_NAMES})\.?\s+$|(?:\d|\b(?:{_WORDS_ALT}))\s+of\s+(?:the\s+)?$", s.text[: m.start()],
                 re.IGNORECASE):
        return []  # "April 30 (Reuters)": a day; "Eight of the 12 aircraft": the whole, not the part counted
    if asks in ("how old", "how long"):  # an age or a length of time, nothing else
        age = span is not None and span.group(0).endswith("-old") or re.match(r",", s.text[end:]) \
            and s.text[max(0, m.start() - 2) : m.start()] == ", "  # "Costa, 23," / "a 23-year-old"
        if not (age if asks == "how old" else span is not None and not span.group(0).endswith("-old")):
            return []
    if span:  # "a five-year contract", "three years"
        end += span.end()
    share = re.match(r"\s*(?:%|per ?cent\b|percentage points?\b)", s.text[end:])
    if share:  # "52.3 percent" is a share, whatever was counted
        end += share.end()
        return [Value(s.text[m.start() : end], s.start + m.start(), s.start + end,
                      ("n", m["n"].replace(",", "") + "%"))]
    nxt = None if span else re.match(r"\s+([A-Za-z][\w-]*)", s.text[end:])  # "a five-year contract": measured
    if nxt is not None and term(nxt[1]) in question.content:
        if term(nxt[1]) != counted:
            return []
        end += nxt.end()
    elif counted and (unit := _UNIT_RE.match(s.text[end:])) \
            and not any(is_stopword(w) and w != "other" for w in unit[0].split()):
        end += unit.end()  # "four dock workers" for "How many people were killed?": what the source counted
    key = ("n", _NUMBER_WORDS.get(m["n"].lower(), m["n"].replace(",", "")))
    named = _NAMED_AND.search(s.text[: m.start()]) if re.match(r"\s+others?\b", s.text[m.end() :]) else None
    if named is not None and key[1].isdigit():  # "Salcedo, 58, and four other people": five
        return [Value(s.text[named.start(1) : end], s.start + named.start(1), s.start + end, ("n", str(int(key[1]) + 1)))]
    return [Value(s.text[m.start() : end], s.start + m.start(), s.start + end, key)]


_MONTH_NAMES = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|" \
    "august|september|october|november|december"
_NAMED_AND = re.compile(r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)(?:,\s*\d{1,3},)?\s+and\s+$")


_UNIT_RE = re.compile(r"(?:\s+[a-z][\w-]*)?\s+(?:[a-z][\w-]*s|(?:wo)?men|children|people)\b")


def same(a: Value, b: Value) -> bool:
    """True when two values can be the same answer (one may be less precise)."""
    if a.key[0] != b.key[0]:
        return False
    if a.key[0] == "date":
        return all(x is None or y is None or x == y for x, y in zip(a.key[1:], b.key[1:]))
    if a.key[0] == "money":
        return abs(a.key[1] - b.key[1]) <= 0.01 * max(a.key[1], b.key[1])
    if a.key[0] == "name":
        small, big = sorted((a.key[1], b.key[1]), key=len)
        return bool(small) and all(w in big or len(w) >= 4 and any(o.startswith(w) for o in big) for w in small)
    return a.key == b.key


def parallel_conflict(
    s1: SentenceInfo, v1s: list[Value], s2: SentenceInfo, v2s: list[Value],
    lead1: Sequence[str] = (), lead2: Sequence[str] = (),
) -> tuple[Value, Value] | None:
    """If ``s1`` and ``s2`` say the same thing but for one value, return the two values.

    ``v1s`` and ``v2s`` are the sentences' :func:`extract` values. ``lead1`` and ``lead2`` are the
    words before each sentence in its paragraph: a short statement ("Release date. December 1, 2017")
    is compared together with what leads up to it.
    """
    if not any(not same(a, b) for a in v1s for b in v2s):
        return None  # no two values differ: whatever else differs, it is not a conflict over the answer
    w1 = [*lead1, *(t.text.lower() for t in s1.tokens)]
    w2 = [*lead2, *(t.text.lower() for t in s2.tokens)]
    matcher = SequenceMatcher(a=w1, b=w2, autojunk=False)
    if matcher.real_quick_ratio() < PARALLEL_RATIO or matcher.quick_ratio() < PARALLEL_RATIO \
            or matcher.ratio() < PARALLEL_RATIO:
        return None
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        a = _in_span(v1s, s1, i1 - len(lead1), i2 - len(lead1))
        b = _in_span(v2s, s2, j1 - len(lead2), j2 - len(lead2))
        if a and b and not same(a, b):
            return a, b
    return None


def _in_span(values: list[Value], s: SentenceInfo, lo: int, hi: int) -> Value | None:
    lo = max(lo, 0)
    if lo >= len(s.tokens) or hi <= lo:
        return None
    start, end = s.tokens[lo].start, s.tokens[hi - 1].end
    for v in values:
        if v.end > start and v.start < end:
            return v
    return None


def _money(s: SentenceInfo) -> list[Value]:
    out = []
    for m in _MONEY_RE.finditer(s.text):
        text = m.group()
        num = re.search(r"\d[\d,]*(?:\.\d+)?", text)
        if not num:
            continue
        amount = float(num.group().replace(",", ""))
        scale = re.search(r"(trillion|billion|million|thousand|bn|mn|m|k)\b", text[num.end():], re.IGNORECASE)
        if scale:
            amount *= _SCALE[scale.group(1).lower()]
        bound = _BOUND_RE.search(s.text[max(0, m.start() - 20) : m.start()])  # "as much as $500 million"
        bound = _RANGE_RE.search(s.text[max(0, m.start() - 40) : m.start()]) or bound  # "between 60 million and …"
        begin = m.start() - (len(bound.group(0)) if bound else 0)
        text = s.text[begin : m.start()] + text.strip()
        out.append(Value(text, s.start + begin, s.start + begin + len(text), ("money", amount)))
    return out


def _names(question: Question, s: SentenceInfo, *, merge_places: bool) -> list[Value]:
    runs = [n for n in map(lambda n: _without_title(question, n), s.names)
            if n and not _overlaps_question(question, n[0]) and n[0].lower() not in _NOT_VALUES
            and term(n[0]) not in ROLE_TERMS]  # "Chief executive Dominic Farrow": "Chief" is no one
    if merge_places:
        merged: list[tuple[str, int, int]] = []
        for run in runs:
            if merged and s.text[merged[-1][2] - s.start : run[1] - s.start] == ", ":
                prev = merged.pop()
                run = (s.text[prev[1] - s.start : run[2] - s.start], prev[1], run[2])
            merged.append(run)
        runs = [_with_noun(s, run) for run in merged]
    return [
        Value(name, start, end, ("name", frozenset(term(w) for w in re.findall(r"[\w.]+", name) if len(w) > 1)))
        for name, start, end in runs
    ]


_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ic|i)$")
_PLACE_NOUN = re.compile(r"\s(territory|soil|land|airspace|border|waters|side|region|capital)\b")


def _with_noun(s: SentenceInfo, run: tuple[str, int, int]) -> tuple[str, int, int]:
    """"Belarusian territory", not "Belarusian": a people's adjective names a place with the noun after it."""
    name, start, end = run
    noun = _PLACE_NOUN.match(s.text, end - s.start)
    if not _DEMONYM.search(name) or noun is None:
        return run
    return name + noun.group(), start, s.start + noun.end()


def _without_title(question: Question, run: tuple[str, int, int]) -> tuple[str, int, int] | None:
    """"Prime Minister Grace Mensah" for "Who is the prime minister?": the name after the asked title.

    The asked body may stand before the title: "Belarusian President Aleksandr Lukashenko" for "Who is the
    president of Belarus?"."""
    name, start, end = run
    words = name.split()
    k = 0
    while k < len(words) - 1 and term(words[k]) in question.content:
        k += 1
    while k and term(words[k - 1]) in question.entities:
        k -= 1  # the cut must end with the title: "Norvik Chemicals" is not "Chemicals" for "the Norvik plant"
    if k == 0:
        return run
    rest = " ".join(words[k:])
    return rest, end - len(rest), end


def _overlaps_question(question: Question, name: str) -> bool:
    return any(term(w) in question.content for w in re.findall(r"[\w’'.]+", name))
