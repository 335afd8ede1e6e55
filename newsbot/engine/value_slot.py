"""Which candidate a sentence plainly gives as the answer: the value in the answer's slot.

"Who acquired Instagram?" — the name right next to the question's verb, the
one that opens the clause the verb is in ("because Ukraine, as we remember,
was the first to impose …"), or the last name of an apposition ("U.S.
podcaster Lex Fridman"); never a place after "in", nor the target after
"against". Dates and amounts are rarely ambiguous: the one nearest the
question's words. When unsure, no value: the sentence then answers nothing.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re

from newsbot.engine.attribution import UNNAMED, SentenceInfo
from newsbot.engine.question import Question
from newsbot.engine.subject import PASSIVE_AUX, reports_own_act
from newsbot.engine.value_scope import token_index
from newsbot.engine.values import Value
from newsbot.text import is_stopword, term, term_at

_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_APPOSITION = re.compile(r"\s+(?:[a-z][\w-]*\s+){1,2}")
_CLAUSE_OPENERS = frozenset("because since although though while whereas".split())
_ASIDE = re.compile(r"^, (?:as|we|they|he|she|it)\b[^,;:]{0,30},")  # "Ukraine, as we remember, was"
_VERBISH = frozenset("said told won beat met led ran took made gave saw wrote hit became left sent".split())


def confident(question: Question, s: SentenceInfo, values: list[Value]) -> Value | None:
    """The one candidate the sentence plainly gives as the answer, or None when unsure.

    Dates and amounts are rarely ambiguous: the one nearest the question's words.
    A name must sit in the answer's slot: after "in"/"at" for a place, or right
    next to the question's verb ("Facebook acquired", "won by Norway") otherwise.
    """
    if not values and question.answer_type != "person":  # a described speaker may still be who did it
        return None
    anchors = [i for i in range(len(s.tokens)) if term_at(s.tokens, i) in question.content]
    focus = [i for i in anchors if term_at(s.tokens, i) == question.focus]
    if question.answer_type == "date":
        values = [v for v in values if v.key[1] is not None or len(v.key) > 4]  # "on April 29" of which year?
        # not an answer alone; a clock time ("at 3:12 a.m.") is
    if question.answer_type in ("date", "money", "number"):
        if not anchors:
            return values[0] if len(values) == 1 else None
        return min(values, key=lambda v: _token_distance(s, v, focus or anchors) + _across(s, v, focus or anchors)) \
            if values else None
    verbs = [i for i in anchors if term(s.tokens[i].text) not in question.entities]
    if question.answer_type == "person" and _ASKS_OBJECT.match(question.text):
        after = [v for v in values if _object_of(s, v, focus or verbs)]
        if after:  # "Who did Pulsetrack hire?" ← "… and hired the cybersecurity firm Mandiant": after the verb
            return after[0]
    if question.answer_type == "person":
        cleft = [v for v in values if (m := _CLEFT.match(s.text, v.end - s.start))
                 and token_index(s, s.start + m.end()) in verbs]
        if cleft:  # "Putin was the one launching them" answers "Who launched the missiles?"
            return cleft[0]
    slotted = []
    from_where = question.text.lower().rstrip("?!. ").endswith(" from")
    to_where = question.text.lower().rstrip("?!. ").endswith(" to")  # "Where were ships diverted to?"
    if question.answer_type == "place" and s.attribution.speaker:  # the one speaking is not where it happened
        values = [v for v in values if v.text != s.attribution.speaker]
    for v in values:
        first = token_index(s, v.start)
        prev = s.tokens[first - 1].text.lower() if first > 0 else ""
        if prev == "the" and first > 1:
            prev = s.tokens[first - 2].text.lower()
        if prev.endswith(("’s", "'s")) and first > 1:  # "Nurses at St James's University Hospital": where at
            back = first - 1
            while back > 0 and s.tokens[back].text[:1].isupper():
                back -= 1
            prev = s.tokens[back].text.lower()
        if prev == "of" and first > 2 and s.tokens[first - 2].text.lower() in _PLACE_NOUNS:
            prev = "in"  # "in the port of Rotterdam": the place is Rotterdam
        if question.answer_type == "place" and (prev in ("in", "at", "near") or prev == "from" and from_where
                                                 or prev == "to" and to_where
                                                 or _right_after(s, first, verbs)):
            slotted.append(v)  # "launched from Belarusian territory", "struck northern Ardania"
        elif question.answer_type == "person" and prev in ("in", "at", "near", "from"):
            continue  # "victory in Paris": a place, not who
        elif prev == "against" and "against" not in question.text.lower().split():
            continue  # "the first to impose sanctions against Belarus": the target, not who imposed them
        elif question.answer_type != "place" and verbs and _token_distance(s, v, verbs) <= 2 \
                and not _list_break(s, v, verbs):
            slotted.append(v)
    if question.answer_type == "person" and _ASKS_SUBJECT.match(question.text) and focus:
        slotted = [v for v in slotted if not _object_of_active(s, v, focus)]  # "Who blocked the takeover?" is
        # not "Crustworth" of "The regulator blocked the takeover of Crustworth"
    if question.answer_type == "person":
        values = [v for v in values if not _ACRONYM.search(v.text)]  # "ATP Ranking", "NASA" are not people
        values = [v for v in values if not re.search(r"[’']s?$", v.text)
                  and not re.match(r"[’']s?\b", s.text[v.end - s.start : v.end - s.start + 2])]
        # "Mara Lenoir's lawyers said" names whose lawyers, not a lawyer
        role = re.match(r"who (?:is|was|are|were)\b", question.text.lower())  # "Who is the prime minister?"
        slotted = [v for v in slotted if v in values] or ([] if role else _clause_subject(s, values, focus)) \
            or _speaker_as_subject(s, values, verbs)
        slotted = list(dict.fromkeys(_apposed(question, s, v, values) for v in slotted))
        after_title = [v for v in slotted if _after_title(s, token_index(s, v.start), focus)]
        if role and len(after_title) == 1:
            return after_title[0]  # "Defence lawyer Omar Haddad" for "Who is Quill's lawyer?": after the title
    if len(slotted) > 1 and question.answer_type == "person" and focus:
        slotted = _subjects(s, slotted, focus)  # "Manziel wins Camp, O'Brien, Maxwell awards": who won is before
    return slotted[0] if len(slotted) == 1 else None


_PLACE_NOUNS = frozenset("port city town village region province state county district capital area suburb".split())
_CLEFT = re.compile(r"\s+(?:was|is|were|are)\s+the\s+(?:one|ones|person|man|woman|people)\s+(?:who\s+)?")
_ASKS_OBJECT = re.compile(r"(?i)(?:who|whom)\s+(?:did|does|do|will|would|has|have|had|can|could)\s")


_ASKS_SUBJECT = re.compile(r"(?i)who\s+(?!(?:is|was|are|were|did|does|do|has|have|had|will|would|can|could|"
                           r"should|may|might|must)\b)\w+")


def _object_of_active(s: SentenceInfo, v: Value, focus: list[int]) -> bool:
    """The value comes after an active past verb of the asked act, in its object ("blocked the takeover of
    Crustworth"), so it is what the act was done to ("an interview with … Lex Fridman" is no verb's object)."""
    first = token_index(s, v.start)
    return any(i < first and _PAST_FORM.search(s.tokens[i].text)
               and not any(t.text.lower() in PASSIVE_AUX for t in s.tokens[max(0, i - 2) : i])
               and not any(t.text.lower() in _NOT_OBJECT for t in s.tokens[i + 1 : first]) for i in focus)


_PAST_FORM = re.compile(r"(?i)ed$|^(?:won|led|took|made|gave|sold|bought|beat|hit|struck|sent|built|found|held|met|"
                        r"ran|shot|stole|wrote|chose|caught|brought|fought|kept|left|lost|paid|sought|told)$")
_NOT_OBJECT = frozenset("by with from between among against to for".split())


def _after_title(s: SentenceInfo, first: int, focus: list[int]) -> bool:
    """The name follows the asked title, of one word or two ("Chief executive Dominic Farrow": the CEO)."""
    two_words = first >= 2 and term_at(s.tokens, first - 2) != term(s.tokens[first - 2].text)
    return first - 1 in focus or two_words and first - 2 in focus


def _object_of(s: SentenceInfo, v: Value, verbs: list[int]) -> bool:
    """The value follows one of the verbs as its object: after at most four lower-case words ("hired the
    cybersecurity firm Mandiant"), with no punctuation, "and" or "but" between."""
    first = token_index(s, v.start)
    for i in verbs:
        between = s.tokens[i + 1 : first]
        if first <= i or len(between) > 4:
            continue
        gap = s.text[s.tokens[i].end - s.start : v.start - s.start]
        if all(t.text.islower() for t in between) and not re.search(r"[,;:.]|\b(?:and|but|or)\b", gap):
            return True
    return False


def _speaker_as_subject(s: SentenceInfo, values: list[Value], verbs: list[int]) -> list[Value]:
    """"The Federal Aviation Authority said on Tuesday it had grounded …": "it" right after the speaker's
    speech verb is the speaker, so the speaker's name is who grounded them."""
    speaker = s.attribution.speaker
    for v in verbs:
        before = [t for t in s.tokens[max(0, v - 3) : v] if t.text.lower() in ("he", "she", "it", "they")]
        if speaker and before and reports_own_act(s, before[-1].start):
            if (s.attribution.key or "").startswith(UNNAMED):  # "The Dutch labour inspectorate said it had opened"
                at = s.text.lower().find(speaker.lower())
                return [] if at < 0 else [Value(s.text[at : at + len(speaker)], s.start + at, s.start + at + len(speaker),
                                                 ("name", frozenset(term(w) for w in speaker.split())))]
            return [w for w in values if w.text == speaker or w.text.endswith(speaker)][:1]
    return []


def _right_after(s: SentenceInfo, first: int, verbs: list[int]) -> bool:
    """The place is the object of a question word: "struck northern Ardania" (at most one lower-case word between)."""
    return any(0 < first - f <= 2 and all(t.text.islower() for t in s.tokens[f + 1 : first]) for f in verbs)


def _across(s: SentenceInfo, v: Value, anchors: list[int]) -> int:
    """A penalty when "and", "but" or ";" stands between the value and its nearest anchor: "killing at least
    120 people and injuring more than 400" — 400 is the injured, 120 the killed."""
    first = token_index(s, v.start)
    a = min(anchors, key=lambda i: abs(i - first))
    lo, hi = sorted((a, first))
    gap = s.text[s.tokens[lo].end - s.start : s.tokens[hi].start - s.start] if hi > lo else ""
    return 5 if re.search(r"\b(?:and|but)\b|;", gap) else 0


def _clause_subject(s: SentenceInfo, values: list[Value], focus: list[int]) -> list[Value]:
    """"Novak Djokovic has clinched the year-end No. 1": the one name that opens the clause the focus is in."""
    if not focus or not values:
        return []
    first = values[0]
    if focus[0] > 0 and s.tokens[focus[0] - 1].text.lower() in PASSIVE_AUX:
        return []  # "Peter Quill was sentenced": the passive subject is who it was done to, not who did it
    at = token_index(s, first.start)
    opens = at == 0 or at == 1 and s.tokens[0].text.endswith(("'s", "’s")) \
        or at > 0 and s.tokens[at - 1].text.lower() in _CLAUSE_OPENERS  # "because Ukraine … was the first"
    end = token_index(s, first.end - 1) if first.end > first.start else at
    between = _ASIDE.sub("", s.text[first.end - s.start : s.tokens[focus[0]].start - s.start], count=1)
    if not opens or focus[0] <= end or any(v.start < s.tokens[focus[0]].start for v in values[1:]) \
            or any(mark in between for mark in ",;:|·"):
        return []
    return [first]


def _apposed(question: Question, s: SentenceInfo, v: Value, values: list[Value]) -> Value:
    """"U.S. podcaster Lex Fridman": a name, one or two lower-case nouns, then a name — the last name is who.

    The words between must not be function words, the question's own words or
    verb forms ("Facebook and Apple", "Joe Burrow wins Camp", "Smith defeated Jones").
    """
    for w in values:
        gap = s.text[v.end - s.start : w.start - s.start]
        if w.start > v.end and _APPOSITION.fullmatch(gap) and all(_noun_like(question, word) for word in gap.split()):
            return _apposed(question, s, w, values)
    return v


def _noun_like(question: Question, word: str) -> bool:
    low = word.lower()
    return not (is_stopword(low) or term(low) in question.content or low in _VERBISH
                or low.endswith(("ed", "s")) and not low.endswith(("ss", "ics")))


def _list_break(s: SentenceInfo, v: Value, verbs: list[int]) -> bool:
    """A ";", "|" or "·" between the value and the nearest verb: list items, not one statement ("Crew List ; Director")."""
    first = token_index(s, v.start)
    verb = min(verbs, key=lambda i: abs(i - first))
    lo, hi = sorted((s.tokens[verb].end, v.start if verb < first else v.end))
    return any(mark in s.text[lo - s.start : hi - s.start] for mark in ";|·")


def _subjects(s: SentenceInfo, values: list[Value], verbs: list[int]) -> list[Value]:
    """The values just before an active verb (not "won by"), or all of them when the verb is passive."""
    verb = min(verbs)
    after = s.tokens[verb + 1].text.lower() if verb + 1 < len(s.tokens) else ""
    before = s.tokens[verb - 1].text.lower() if verb > 0 else ""
    if after == "by" or before in PASSIVE_AUX:
        return [v for v in values if token_index(s, v.start) > verb]
    before = [v for v in values if token_index(s, v.start) < verb]
    return before[-1:]  # "LSU quarterback Joe Burrow wins": the name right before the verb


def _token_distance(s: SentenceInfo, v: Value, anchors: list[int]) -> int:
    first = token_index(s, v.start)
    last = max(first, token_index(s, v.end) - 1)
    return min(min(abs(first - a), abs(last - a)) for a in anchors)
