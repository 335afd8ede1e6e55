"""Whether a value a sentence states is about the thing the question asks about.

A sentence can name the question's subject and still give a value that
belongs to something else: another year in a results list ("2021, Medvedev ;
2020, Thiem"), a sequel or spin-off ("Spider-Man 2", "Ocarina of Time
Re-Arranged Album"), another fragment of a snippet joined by an ellipsis
("… on Saturday ... since 2018, …"), another item of a list, the question's own number read as a
value ("Chronicles 2" -> "released on 2 August 2023"), or a thing that only mentions the asked one
("A soundtrack album featuring tracks used in Xenoblade Chronicles … was released on …"), or a clause
someone is quoted saying after every word of the question ("… published on Sunday, Zelensky said …").
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from collections.abc import Callable

from newsbot.engine.attribution import SPEECH_VERBS, SentenceInfo
from newsbot.engine.question import Question
from newsbot.engine.verbs import BASE_VERBS
from newsbot.text import term, tokens

YEAR_RE = re.compile(r"\b(?P<y>(?:19|20)\d\d)\b")
_ELLIPSIS_RE = re.compile(r"\s(?:\.\.\.|…)\s")
_LIST_RE = re.compile(r"\s[·|;]\s")
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split()
)

#: Words after a name that leave it the same thing ("OpenAI Inc").
#: Words that end a company's name without making it another thing ("Norvik Chemicals" is Norvik).
_SAME_THING = frozenset("""inc ltd llc corp co plc gmbh ag sa group holdings chemicals industries motors airlines
    airways energy pharmaceuticals pharma technologies systems foods bank""".split())


def in_scope(question: Question, s: SentenceInfo, start: int, end: int, kind: str) -> bool:
    """True unless the value at ``start:end`` (article offsets) plainly belongs to something else."""
    return not (_belongs_to_other_year(question, s, start, end) or _swallows_asked_number(question, s, start, end, kind)
                or _other_fragment(question, s, start) or _other_list_item(question, s, start)
                or _names_another_thing(question, s, start, end) or _said_of_another_thing(question, s, start)
                or _in_reported_clause(question, s, start) or kind == "date" and _dates_another_act(question, s, start))


def token_index(s: SentenceInfo, pos: int) -> int:
    """Index of the first token of ``s`` at or after article offset ``pos``."""
    return next((i for i, t in enumerate(s.tokens) if t.start >= pos), len(s.tokens))


def _swallows_asked_number(question: Question, s: SentenceInfo, start: int, end: int, kind: str) -> bool:
    """The question's "2" of "Xenoblade Chronicles 2" is no answer's day: "released on 2 August 2023".

    A value whose span holds the sentence's only mention of a number the question
    asks about (other than a year the value is dated in) is the question's own
    number read as an answer.
    """
    for n in question.numbers:
        inside = outside = False
        for t in s.tokens:
            if term(t.text) == n:
                if start <= t.start < end:
                    inside = True
                elif t.text[:1].isdigit():  # "a second album" is not the title's "2"
                    outside = True
        if inside and not outside and not (YEAR_RE.fullmatch(n) and kind == "date"):
            return True
    return False


def _belongs_to_other_year(question: Question, s: SentenceInfo, start: int, end: int) -> bool:
    """In "2021, Medvedev ; 2020, Thiem" asked about 2021, Thiem is 2020's: nearer another year than the asked one.

    A year of birth or death ("Peter Handke (born 1942)") is a person's, not a competing year.
    """
    asked = [i for i, t in enumerate(s.tokens) if term(t.text) in question.numbers and YEAR_RE.fullmatch(t.text)]
    if not asked:
        return False
    others = [i for i, t in enumerate(s.tokens) if YEAR_RE.fullmatch(t.text) and term(t.text) not in question.numbers
              and not (start <= t.start < end) and not (i and s.tokens[i - 1].text.lower() in ("born", "died"))]
    if not others:
        return False
    at = token_index(s, start)
    return min(abs(at - i) for i in others) < min(abs(at - i) for i in asked)


def _segment_of(s: SentenceInfo, separator: re.Pattern[str]) -> Callable[[int], int] | None:
    """Which piece of ``s`` an article offset falls in, the pieces cut at ``separator``; None if it has one piece."""
    cuts = [s.start + m.start() for m in separator.finditer(s.text)]
    return (lambda pos: sum(pos >= c for c in cuts)) if cuts else None


def _other_fragment(question: Question, s: SentenceInfo, start: int) -> bool:
    """A snippet glues fragments with " ... ": the asked numbers must be in the value's own fragment."""
    fragment = _segment_of(s, _ELLIPSIS_RE)
    if fragment is None or not question.numbers:
        return False
    asked = [t for t in s.tokens if term(t.text) in question.numbers and t.text[:1].isdigit()]
    return bool(asked) and all(fragment(t.start) != fragment(start) for t in asked)


def _other_list_item(question: Question, s: SentenceInfo, start: int) -> bool:
    """In "2.0.0 (Released September 13, 2018) · … Xenoblade Chronicles 2" the date is the item's, not the name's.

    When a sentence is a list ("·", "|" or ";" between items) and names the asked
    thing only in items after the value's, the value belongs to an earlier heading
    ("Nobel Prize in Literature 2019 · Abdulrazak Gurnah" keeps its value).
    """
    item = _segment_of(s, _LIST_RE)
    heads = [t.start for t in s.tokens if term(t.text) in question.name_heads]
    if item is None or not heads:
        return False
    return all(item(h) > item(start) for h in heads)


def _names_another_thing(question: Question, s: SentenceInfo, start: int, end: int) -> bool:
    """The mention of the question's name before the value goes on into a longer name ("Spider-Man 2")."""
    heads = [i for i, t in enumerate(s.tokens) if term(t.text) in question.name_heads]
    if not heads:
        return False
    at = token_index(s, start)
    last = max(at, token_index(s, end) - 1)
    before = [i for i in heads if i < at]  # the subject is usually named before its value
    nearest = max(before) if before else min(heads)
    asked = {t.text.lower() for t in tokens(question.text)}
    nxt = nearest + 1
    while nxt < len(s.tokens) and s.tokens[nxt].text.lower() in asked and _gap(s, nxt - 1, nxt) in (" ", ": "):
        nxt += 1  # the rest of the asked name: "Ocarina" of "Ocarina of Time"
    if nxt >= len(s.tokens) or at <= nxt <= last:
        return False
    follower = s.tokens[nxt]
    if _gap(s, nxt - 1, nxt) != " ":
        return False  # "Valhalla, November 10": punctuation ends the name
    t = term(follower.text)
    if t in question.content or follower.text.lower().strip(".") in _CALENDAR | _SAME_THING:
        return False
    return follower.text[:1].isdigit() or follower.text[:1].isupper()


def _gap(s: SentenceInfo, i: int, j: int) -> str:
    """The text between tokens ``i`` and ``j`` of ``s``."""
    return s.text[s.tokens[i].end - s.start : s.tokens[j].start - s.start]


_AUXILIARIES = frozenset("was were is are be been has have had will".split())
_EMBEDDING = frozenset("in of from for featuring used based on to about with".split())


def _said_of_another_thing(question: Question, s: SentenceInfo, start: int) -> bool:
    """The subject is a common noun ("A second soundtrack album") that names the asked thing only inside a
    modifier ("featuring tracks used in Xenoblade Chronicles"): the value is that other thing's."""
    at = token_index(s, start)
    verb = next((i for i in range(at - 1, 0, -1) if term(s.tokens[i].text) == question.focus), None)
    if verb is None or s.tokens[verb - 1].text.lower() not in _AUXILIARIES or verb < 3:
        return False
    subject = s.tokens[: verb - 1]
    if subject[0].text.lower() not in ("a", "an", "the") or not subject[1].text[:1].islower():
        return False
    heads = [i for i, t in enumerate(subject) if term(t.text) in question.name_heads]
    return bool(heads) and any(t.text.lower() in _EMBEDDING for t in subject[2 : heads[0]])


def _in_reported_clause(question: Question, s: SentenceInfo, start: int) -> bool:
    """A speech verb stands between the value and every word of the question: one is in what was said, the
    other in the frame around it ("In an interview …, published on Sunday, Zelensky said the two leaders
    spoke … in February 2022": Sunday is when the interview came out, February 2022 when they spoke)."""
    speaker = s.attribution.speaker
    if speaker and s.text.startswith(speaker, start - s.start):
        return False  # the speaker may answer about their own act ("… said on Tuesday it had grounded …")
    at = token_index(s, start)
    anchors = [i for i, t in enumerate(s.tokens) if term(t.text) in question.content and i != at]
    speech = [i for i, t in enumerate(s.tokens) if t.text.lower() in SPEECH_VERBS]
    if not anchors or not speech:
        return False
    lo, hi = min(anchors), max(anchors)
    return any(hi < k < at for k in speech) or any(at < k < lo for k in speech)


def _dates_another_act(question: Question, s: SentenceInfo, start: int) -> bool:
    """"… voted on Wednesday to authorize a strike if the company cuts jobs": the date is the vote's, a verb
    the question does not name, right before it; it does not say when the cuts happen."""
    at = token_index(s, start)
    i = at - 1
    while i >= 0 and s.tokens[i].text.lower() in ("on", "in", "by", "until", "at", "from", "since", "last"):
        i -= 1
    if i < 0:
        return False
    word = s.tokens[i].text.lower()
    base = word[:-1] if word.endswith("ed") and word[:-1] in BASE_VERBS else word[:-2] if word.endswith("ed") else ""
    return base in BASE_VERBS and term(word) not in question.content
